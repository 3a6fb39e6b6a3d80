import { Command } from '@commander-js/extra-typings';
import { readFile } from 'node:fs/promises';
import { parseContent } from '@b3lake/scraper';
import type { CliContext } from '../cli';
import { EXIT } from '../exit-codes';
import { formatDetail, formatListing, formatPortfolio, toJson } from '../format';
import type { Io } from '../io';
import { withJson } from '../options';

export interface ParseOptions {
  json?: boolean;
}

/** `b3lake parse FILE`: offline; the format is detected from the content. */
export function parseCommand(ctx: CliContext) {
  return withJson(
    new Command('parse')
      .summary('parse a saved page or file offline')
      .description(
        'Parse a saved page or file offline: a Fundamentus detail or listing page, a B3 portfolio JSON ' +
          'or an IBOVDia CSV. The format is detected from the content.',
      )
      .argument('<file>', 'the file to parse'),
  ).action(async (file, options) => {
    ctx.exitCode = await parseFile(file, options, ctx.io);
  });
}

export async function parseFile(file: string, options: ParseOptions, io: Io): Promise<number> {
  const parsed = parseContent(await readFile(file));
  if (options.json) {
    io.out(
      toJson(parsed.format === 'fundamentus-detail' ? parsed.result : { format: parsed.format, ...parsed.result }),
    );
    return EXIT.OK;
  }
  switch (parsed.format) {
    case 'fundamentus-detail':
      io.out(formatDetail(parsed.result));
      break;
    case 'fundamentus-listing':
      io.out(formatListing(parsed.result));
      break;
    default:
      io.out(formatPortfolio(parsed.result));
  }
  return EXIT.OK;
}
