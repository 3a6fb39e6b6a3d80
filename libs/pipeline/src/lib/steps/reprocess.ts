import { DAILY_TABLES, readPartition, table, tablesWrittenBy, withDerived, type TableKey } from '@b3lake/lake';
import { parseDetailPage } from '@b3lake/scraper';
import pLimit from 'p-limit';
import type { PipelineContext } from '../ports';
import { pageArchivePrefix, parsePageArchiveKey, readArchive } from './archive';
import { pageSourceOf, writeSor } from './extract';
import { finalizeStep, type TableFinal } from './finalize';

export interface ReprocessResult {
  pages: number;
  ok: number;
  failed: { key: string; error: string }[];
  tables: TableFinal[];
}

/** What a reprocess rewrites: the tables extract writes from a page, and every table derived from them. */
const FROM_PAGES: Set<TableKey> = new Set(withDerived(tablesWrittenBy('extract')));

/**
 * Rebuilds SoR, SoT and Spec of D from the archived raw pages, with no network (e.g. after a
 * parser fix). Extraction times come from the raw-page index, so unchanged pages give
 * byte-identical rows.
 */
export async function reprocessDay(ctx: PipelineContext, anomesdia: number, concurrency = 4): Promise<ReprocessResult> {
  const landing = ctx.stores('landing');
  const pages = (await landing.list(pageArchivePrefix(anomesdia))).flatMap((o) => {
    const page = parsePageArchiveKey(o.key);
    return page ? [{ key: o.key, ticker: page.ticker }] : [];
  });
  const index = table('raw_pages');
  const known = new Map(
    (await readPartition(ctx.stores(index.layer), index, { anomesdia_exec: anomesdia }))
      .map(pageSourceOf)
      .map((source) => [source.archiveKey, source] as const),
  );
  const result: ReprocessResult = { pages: pages.length, ok: 0, failed: [], tables: [] };
  const limit = pLimit(concurrency);
  await Promise.all(
    pages.map(({ key, ticker }) =>
      limit(async () => {
        try {
          const body = await readArchive(landing, key);
          const page = parseDetailPage(body, { ticker });
          const previous = known.get(key);
          const fetchedAt = previous?.fetchedAt ?? ctx.clock.now();
          const url = previous?.url ?? '';
          await writeSor(ctx, anomesdia, page, { fetchedAt, url, archiveKey: key, body });
          result.ok++;
        } catch (error) {
          result.failed.push({ key, error: error instanceof Error ? error.message : String(error) });
        }
      }),
    ),
  );
  // Finalize rebuilds SoT and Spec from the rewritten SoR.
  result.tables = await finalizeStep(
    ctx,
    anomesdia,
    DAILY_TABLES.filter((key) => FROM_PAGES.has(key)),
  );
  return result;
}
