import { readFile } from 'node:fs/promises';
import { parseContent } from '@b3lake/scraper';
import type { CommonOptions } from '../cli';
import { EXIT } from '../exit-codes';
import { formatDetail, formatListing, formatPortfolio, toJson } from '../format';
import type { Io } from '../io';

/** `b3lake parse FILE`: offline; the format is detected from the content. */
export async function parseCommand(file: string, options: CommonOptions, io: Io): Promise<number> {
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
