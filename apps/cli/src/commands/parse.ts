import { Command } from '@commander-js/extra-typings';
import { readFile } from 'node:fs/promises';
import { parseContent, type ParsedContent } from '@b3lake/scraper';
import type { CliContext } from '../cli';
import { EXIT, UsageError } from '../exit-codes';
import { formatDetail, formatListing, formatPortfolio, toJson } from '../format';
import type { Io } from '../io';
import { withJson } from '../options';

export interface ParseOptions {
  json?: boolean;
}

/** The argument that reads standard input instead of a file. */
const STDIN = '-';

/** `b3lake parse FILE`: offline; the format is detected from the content. */
export function parseCommand(ctx: CliContext) {
  return withJson(
    new Command('parse')
      .summary('parse a saved page or file offline')
      .description(
        'Parse a saved page or file offline: a Fundamentus detail or listing page, a B3 portfolio JSON ' +
          'or an IBOVDia CSV. The format is detected from the content; gzip content (the lake archives ' +
          'pages as .html.gz) is decompressed. Damaged text (U+FFFD) is reported as warnings on stderr ' +
          'and, with --json, in a "warnings" array. Dividend pages (proventos) are recognised, not parsed yet.',
      )
      .argument('<file>', `the file to parse, or ${STDIN} for standard input`),
  ).action(async (file, options) => {
    ctx.exitCode = await parseFile(file, options, ctx.io);
  });
}

export async function parseFile(file: string, options: ParseOptions, io: Io): Promise<number> {
  const parsed = parseContent(await readInput(file, io));
  // Warnings go to stderr whatever the output format: people see them, stdout stays clean for pipes.
  for (const warning of warningsOf(parsed)) io.err(`b3lake: warning: ${warning}`);
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
      io.out(formatPortfolio(parsed.result, { warningsInline: false }));
  }
  return EXIT.OK;
}

/** The bytes of FILE, or of standard input for `-`; read errors keep their fs code (exit 4). */
async function readInput(file: string, io: Io): Promise<Uint8Array> {
  if (file !== STDIN) return readFile(file);
  const stdin = io.stdin ?? process.stdin;
  // Nothing piped in: say so rather than wait for the user to type a page.
  if (stdin.isTTY) {
    throw new UsageError(`'parse ${STDIN}' reads standard input, which is a terminal: b3lake parse - < page.html`);
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

function warningsOf(parsed: ParsedContent): readonly string[] {
  return parsed.result.warnings ?? [];
}
