import { readPartition, table } from '@b3lake/lake';
import { parseDetailPage } from '@b3lake/scraper';
import type { PipelineContext } from '../ports';
import { pageArchivePrefix, parsePageArchiveKey, readArchive } from './archive';
import { extracted, pageSourceOf, writeSor, type Extracted } from './extract';

/** A detail page archived in the landing zone for a business date. */
export interface ArchivedPage {
  key: string;
  ticker: string;
  /** When the archive was written (right after the fetch); stands in for the fetch time when no index row has it. */
  modified?: Date;
}

/** Every detail page archived for D, by ticker. */
export async function archivedPages(ctx: PipelineContext, anomesdia: number): Promise<Map<string, ArchivedPage>> {
  const pages = new Map<string, ArchivedPage>();
  for (const object of await ctx.stores('landing').list(pageArchivePrefix(anomesdia))) {
    const page = parsePageArchiveKey(object.key);
    if (page) pages.set(page.ticker, { key: object.key, ticker: page.ticker, modified: object.modified });
  }
  return pages;
}

/** Where each archived page came from (URL, fetch time), as D's raw-page index recorded it; empty before finalize. */
export async function recordedSources(
  ctx: PipelineContext,
  anomesdia: number,
): Promise<Map<string, ReturnType<typeof pageSourceOf>>> {
  const index = table('raw_pages');
  const rows = await readPartition(ctx.stores(index.layer), index, { anomesdia_exec: anomesdia });
  return new Map(rows.map(pageSourceOf).map((source) => [source.archiveKey, source] as const));
}

/**
 * Lands a ticker from its archived page instead of the network: the same SoR rows extract wrote,
 * with the recorded URL and fetch time (the archive's time when the index does not have it yet).
 */
export async function restoreFromArchive(
  ctx: PipelineContext,
  anomesdia: number,
  page: ArchivedPage,
  recorded: ReadonlyMap<string, ReturnType<typeof pageSourceOf>>,
): Promise<Extracted> {
  const body = await readArchive(ctx.stores('landing'), page.key);
  const parsed = parseDetailPage(body, { ticker: page.ticker });
  const previous = recorded.get(page.key);
  const fetchedAt = previous?.fetchedAt ?? page.modified ?? ctx.clock.now();
  const url = previous?.url ?? ctx.fundamentus.detailUrl?.(page.ticker) ?? '';
  await writeSor(ctx, anomesdia, parsed, { fetchedAt, url, archiveKey: page.key, body });
  return extracted(parsed, anomesdia);
}
