import { ASSET_KINDS, overwritePartition, table } from '@b3lake/lake';
import { parseListingPage, type Listing } from '@b3lake/scraper';
import { summaryRows } from '../rows';
import type { AssetKind, ExtractJob, JobQueue, PipelineContext } from '../ports';
import type { RunDate } from './start';
import { ListingMismatchError } from '../errors';
import { archive, listingArchiveKey } from './archive';

export interface ListResult {
  jobs: ExtractJob[];
  listed: Partial<Record<AssetKind, number>>;
}

/**
 * Fetches the listing pages (two requests cover the market), archives them, writes the summary
 * tables and emits one extraction job per ticker.
 */
export async function listStep(
  ctx: PipelineContext,
  run: RunDate,
  queue: JobQueue,
  options: { kinds: readonly AssetKind[]; limit?: number },
): Promise<ListResult> {
  const jobs: ExtractJob[] = [];
  const listed: Partial<Record<AssetKind, number>> = {};
  await Promise.all(
    options.kinds.map(async (kind) => {
      const page = await ctx.fundamentus.fetchListingPage(kind);
      await archive(ctx.stores('landing'), listingArchiveKey(run.anomesdia, kind), page.body);
      const listing: Listing = parseListingPage(page.body);
      if (listing.kind !== kind) throw new ListingMismatchError(kind, listing.kind);
      const def = table(ASSET_KINDS[kind].tables.summary);
      await overwritePartition(
        ctx.stores(def.layer),
        def,
        { anomesdia_exec: run.anomesdia },
        summaryRows(listing, page.fetchedAt),
      );
      const tickers = listing.rows.map((r) => r.ticker).slice(0, options.limit ?? Number.POSITIVE_INFINITY);
      listed[kind] = tickers.length;
      jobs.push(...tickers.map((ticker) => ({ ticker, kind, anomesdia: run.anomesdia })));
    }),
  );
  jobs.sort((a, b) => a.kind.localeCompare(b.kind) || a.ticker.localeCompare(b.ticker));
  await queue.send(jobs);
  return { jobs, listed };
}
