import { DAILY_TABLES, tablesWrittenBy, withDerived, type TableKey } from '@b3lake/lake';
import pLimit from 'p-limit';
import type { PipelineContext } from '../ports';
import { finalizeStep, type TableFinal } from './finalize';
import { archivedPages, recordedSources, restoreFromArchive } from './restore';

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
  const pages = [...(await archivedPages(ctx, anomesdia)).values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  const recorded = await recordedSources(ctx, anomesdia);
  const result: ReprocessResult = { pages: pages.length, ok: 0, failed: [], tables: [] };
  const limit = pLimit(concurrency);
  await Promise.all(
    pages.map((page) =>
      limit(async () => {
        try {
          await restoreFromArchive(ctx, anomesdia, page, recorded);
          result.ok++;
        } catch (error) {
          result.failed.push({ key: page.key, error: error instanceof Error ? error.message : String(error) });
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
