import { ASSET_KINDS, ObjectNotFoundError, countObjects, overwritePartition, table } from '@b3lake/lake';
import { parseListingPage, type Listing } from '@b3lake/scraper';
import { summaryRows } from '../rows';
import type { AssetKind, ExtractJob, JobQueue, PipelineContext } from '../ports';
import type { RunDate } from './start';
import { ListingMismatchError } from '../errors';
import { archive, listingArchiveKey, readArchive } from './archive';

export interface ListResult {
  jobs: ExtractJob[];
  listed: Partial<Record<AssetKind, number>>;
  /** Kinds whose listing came from the page archived by an earlier run of the day (no request). */
  fromArchive: AssetKind[];
}

/**
 * Fetches the listing pages (two requests cover the market), archives them, writes the summary
 * tables and emits one extraction job per ticker. With `reuseArchived`, a listing an earlier run
 * of the day archived is read back instead (a resumed run works from the same list of tickers).
 */
export async function listStep(
  ctx: PipelineContext,
  run: RunDate,
  queue: JobQueue,
  options: { kinds: readonly AssetKind[]; limit?: number; reuseArchived?: boolean },
): Promise<ListResult> {
  const jobs: ExtractJob[] = [];
  const listed: Partial<Record<AssetKind, number>> = {};
  const fromArchive: AssetKind[] = [];
  await Promise.all(
    options.kinds.map(async (kind) => {
      const landing = ctx.stores('landing');
      const archiveKey = listingArchiveKey(run.anomesdia, kind);
      const archived = options.reuseArchived ? await readArchive(landing, archiveKey).catch(absent) : undefined;
      const def = table(ASSET_KINDS[kind].tables.summary);
      const partition = { anomesdia_exec: run.anomesdia };
      let body: Uint8Array;
      let fetchedAt: Date;
      if (archived) {
        fromArchive.push(kind);
        body = archived;
        fetchedAt = ctx.clock.now();
      } else {
        const page = await ctx.fundamentus.fetchListingPage(kind);
        await archive(landing, archiveKey, page.body);
        ({ body, fetchedAt } = page);
      }
      const listing: Listing = parseListingPage(body);
      if (listing.kind !== kind) throw new ListingMismatchError(kind, listing.kind);
      // The summary the earlier run wrote from the archived listing stays as it was.
      if (!archived || (await countObjects(ctx.stores(def.layer), def, partition)) === 0) {
        await overwritePartition(ctx.stores(def.layer), def, partition, summaryRows(listing, fetchedAt));
      }
      const tickers = listing.rows.map((r) => r.ticker).slice(0, options.limit ?? Number.POSITIVE_INFINITY);
      listed[kind] = tickers.length;
      jobs.push(...tickers.map((ticker) => ({ ticker, kind, anomesdia: run.anomesdia })));
    }),
  );
  jobs.sort((a, b) => a.kind.localeCompare(b.kind) || a.ticker.localeCompare(b.ticker));
  await queue.send(jobs);
  return { jobs, listed, fromArchive };
}

/** A missing archive is no error here: the listing is fetched instead. */
function absent(error: unknown): undefined {
  if (error instanceof ObjectNotFoundError) return undefined;
  throw error;
}
