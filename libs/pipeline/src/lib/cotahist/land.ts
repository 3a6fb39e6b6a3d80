import { CotahistNotPublishedError, parseCotahistFileName } from '@b3lake/scraper';
import { saoPauloDate } from '../calendar';
import type { PipelineContext } from '../ports';
import { coveredByName, isComplete, loadedFiles, periodEnd, type LoadedFile } from './ledger';
import { cotahistArchiveKey, fetchCotahistFile, loadCotahistFile, type LoadOptions } from './load';

export type LandStatus =
  /** B3 has not published the file (yet): a later run gets it. */
  | 'not-published'
  /** The ledger has the file, complete (see isComplete): nothing downloaded. */
  | 'already-loaded'
  /** A loaded annual or monthly file holds its days: nothing kept. */
  | 'covered'
  /** Loaded into the tables, or the same bytes again (`unchanged`). */
  | 'loaded'
  | 'unchanged';

export interface LandResult {
  file: string;
  year: number;
  status: LandStatus;
  coveredBy?: string;
  /** B3's answer for a file not published. */
  reason?: string;
  /** Whether B3 was asked for the file (false: the ledger or the landing archive had it). */
  downloaded: boolean;
  /** Compressed bytes downloaded. */
  bytes: number;
  quotes: number;
  spotRows: number;
  /** Files whose days this one holds (their objects were replaced). */
  replaced: string[];
  downloadSeconds: number;
  loadSeconds: number;
}

/**
 * One COTAHIST file into the lake, as the daily run, a backfill and the cotahist function all do
 * it: nothing is downloaded when the ledger has the file complete (isComplete, the backfill plan's
 * rule too) or a loaded file holds its days (unless `force`); a file an earlier attempt archived
 * (after its period ended, or today) is loaded from the landing zone without a request; a file B3
 * has not published is a status, not an error.
 */
export async function landCotahistFile(
  ctx: PipelineContext,
  file: string,
  options: Pick<LoadOptions, 'force' | 'signal' | 'ledger' | 'onProgress'> & {
    onBytes?: (bytes: number, size?: number) => void;
  } = {},
): Promise<LandResult> {
  const name = file.toUpperCase();
  const info = parseCotahistFileName(name);
  const result: LandResult = {
    file: name,
    year: info.year,
    status: 'loaded',
    downloaded: false,
    bytes: 0,
    quotes: 0,
    spotRows: 0,
    replaced: [],
    downloadSeconds: 0,
    loadSeconds: 0,
  };
  const force = options.force ?? false;
  const today = saoPauloDate(ctx.clock.now());
  const ledger = options.ledger ?? (await loadedFiles(ctx.stores('sot'), info.year));
  let done: LoadedFile | undefined;
  if (!force) {
    done = ledger.find((f) => f.file === name);
    if (done && isComplete(done, today))
      return { ...result, status: 'already-loaded', quotes: done.quotes, spotRows: done.spotRows };
    const holder = coveredByName(ledger, name);
    if (holder) return { ...result, status: 'covered', coveredBy: holder.file };
  }
  const key = cotahistArchiveKey(name);
  const archive = force || done ? undefined : (await ctx.stores('landing').list(key)).find((o) => o.key === key);
  const archivedOn = archive?.modified ? saoPauloDate(archive.modified) : undefined;
  const archived = !!archivedOn && (info.kind === 'daily' || archivedOn > periodEnd(info) || archivedOn === today);
  const started = Date.now();
  if (!archived) {
    try {
      result.bytes = (await fetchCotahistFile(ctx, name, { signal: options.signal, onBytes: options.onBytes })).bytes;
      result.downloaded = true;
    } catch (error) {
      if (error instanceof CotahistNotPublishedError)
        return { ...result, status: 'not-published', reason: error.message };
      throw error;
    }
  }
  const loading = Date.now();
  result.downloadSeconds = (loading - started) / 1000;
  const loaded = await loadCotahistFile(ctx, name, {
    force,
    ledger,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  result.loadSeconds = (Date.now() - loading) / 1000;
  const kept = loaded.status !== 'covered';
  return {
    ...result,
    status: loaded.status,
    coveredBy: loaded.coveredBy,
    quotes: kept ? loaded.loaded.quotes : 0,
    spotRows: kept ? loaded.loaded.spotRows : 0,
    replaced: loaded.replaced,
  };
}
