/**
 * The proventos kind of a run: every listed stock's and FII's dividend page, each ticker's whole
 * history replaced by proventosStep. The pages go through the run's own HTTP client, so they share
 * extract's politeness budget (requests in flight, the interval between requests to one host,
 * retries); a ticker that still fails is dead-lettered (kind `proventos`); a stop signal aborts the
 * requests in flight and leaves their tickers for the re-run. A re-run of the day lands a ticker
 * from the page an earlier run archived (no request).
 */
import pLimit from 'p-limit';
import { ASSET_KIND_IDS, PROVENTOS_TICKER_KEY, TABLES, isParquetKey, partitionPrefix, readObject } from '@b3lake/lake';
import { isTradingDay } from '../calendar';
import { toDeadLetter, type DeadLetter } from '../dead-letters';
import type { AssetKind, ExtractJob, PipelineContext } from '../ports';
import { readArchive } from '../steps/archive';
import { listStep } from '../steps/list';
import type { RunDate } from '../steps/start';
import type { RunEvent, RunOptions } from '../run-daily';
import { PROVENTOS, proventosArchiveKey, proventosStep, storeProventos, type ProventosOutcome } from './step';

/** The run kind, and the dead letters' kind of a dividend page that still failed. */
export const PROVENTOS_KIND = 'proventos';

const DAY_MS = 86_400_000;

/**
 * Whether the weekly dividend run is due on `date`: the last trading day of its week (Monday to
 * Friday) — Friday, or the day before when Friday is a holiday (Good Friday, Dec 24/31 on a Friday).
 * A history changes only when a company or fund declares a distribution, and refetching every
 * page doubles a day's requests, so once a week is enough; `run --kinds proventos` fetches on demand.
 */
export function proventosDue(date: string): boolean {
  if (!isTradingDay(date)) return false;
  const day = Date.parse(`${date}T00:00:00Z`);
  const weekday = new Date(day).getUTCDay();
  for (let next = 1; weekday + next <= 5; next++) {
    if (isTradingDay(new Date(day + next * DAY_MS).toISOString().slice(0, 10))) return false;
  }
  return true;
}

/** One ticker's dividend history as a run left it. */
export interface ProventosTicker {
  ticker: string;
  kind: AssetKind;
  /**
   * fetched now, or `archive`: landed from the page an earlier run of the day archived, without a
   * request (its history kept when already written from that page, else rebuilt from it).
   */
  source: 'fetched' | 'archive';
  /** Rows of its history now. */
  rows: number;
  /** Rows new since its previous snapshot (every row on a first fetch). */
  added: number;
  /** Rows of the previous snapshot the page no longer shows: a changed history. */
  removed: number;
  /** No earlier snapshot: every row is new. */
  firstFetch: boolean;
}

/** A history that lost rows since its previous snapshot (the row keys, id_provento, of both sides). */
export interface ProventosChange {
  ticker: string;
  kind: AssetKind;
  removed: string[];
  added: string[];
}

/** What the proventos kind did in a run. */
export interface ProventosSummary {
  /** The tickers whose page the run meant to land, by asset kind (after --limit and --tickers). */
  listed: Partial<Record<AssetKind, number>>;
  /**
   * `fetched` (one request each), `restored` from pages archived earlier in the day, `failed`
   * dead-lettered, `notAttempted` stopped by a signal or left out by --only-failed.
   */
  tickers: { total: number; fetched: number; restored: number; failed: number; notAttempted: number };
  /** Rows of the histories landed, and the rows added and removed since their previous snapshots. */
  rows: number;
  added: number;
  removed: number;
  /** Tickers asked for (--tickers) that neither listing of the day has: nothing was fetched for them. */
  notListed: string[];
  /** Histories that lost rows since their previous snapshot, by ticker. */
  changed: ProventosChange[];
  /** Every ticker landed, by ticker. */
  perTicker: ProventosTicker[];
}

export interface ProventosPhaseOptions {
  /** Tickers (and requests: the HTTP client enforces its own limit) in flight, as extract. */
  concurrency: number;
  /** At most this many tickers per listing (per asset kind). */
  limit?: number;
  /** Only these tickers (each looked up in the day's listings for its kind). */
  tickers?: readonly string[];
  /** Refetch every page, even one an earlier run of the day archived (and the listings). */
  force?: boolean;
  /** Tickers fetched even when archived: the day's proventos dead letters. */
  refetch?: ReadonlySet<string>;
  /** Fetch nothing but `refetch` (--only-failed). */
  onlyRefetch?: boolean;
  signal?: AbortSignal;
  /** Each ticker attempted, as it ends. */
  onTicker?: (ticker: TickerEnd, done: number, total: number) => void;
  /** Called once the tickers are known, before the first request. */
  onStart?: (total: number) => void;
}

export type TickerEnd =
  | { ticker: string; status: 'fetched' | 'restored'; outcome: ProventosOutcome }
  | { ticker: string; status: 'failed'; letter: DeadLetter };

export interface ProventosPhaseResult {
  summary: ProventosSummary;
  deadLetters: DeadLetter[];
  /** Tickers fetched, restored or dead-lettered (not the skipped ones). */
  attempted: Set<string>;
  /** Changed histories and page warnings (an unknown Tipo), one line each. */
  warnings: string[];
}

/**
 * The proventos kind of a run of `run`'s business date: its tickers are the day's listings (the
 * jobs the run's list step made, plus the kinds it did not list, read back from the day's archived
 * listing or fetched), each ticker's dividend page fetched (or rebuilt from the day's archive) and
 * its history replaced. The catalog's views are refreshed when a history was written.
 */
export async function proventosPhase(
  ctx: PipelineContext,
  run: RunDate,
  listed: { jobs: readonly ExtractJob[]; kinds: readonly AssetKind[] },
  options: ProventosPhaseOptions,
): Promise<ProventosPhaseResult> {
  const missing = ASSET_KIND_IDS.filter((kind) => !listed.kinds.includes(kind));
  const jobs = [...listed.jobs];
  if (missing.length) {
    await listStep(
      ctx,
      run,
      { send: async (batch) => void jobs.push(...batch) },
      { kinds: missing, limit: options.limit, reuseArchived: !options.force },
    );
  }
  let selected = jobs;
  const notListed: string[] = [];
  if (options.tickers) {
    const byTicker = new Map(jobs.map((job) => [job.ticker, job]));
    selected = [];
    for (const ticker of new Set(options.tickers)) {
      const job = byTicker.get(ticker);
      if (job) selected.push(job);
      else notListed.push(ticker);
    }
  }
  selected.sort((a, b) => a.kind.localeCompare(b.kind) || a.ticker.localeCompare(b.ticker));
  options.onStart?.(selected.length);
  const result = await proventosAll(ctx, run.anomesdia, selected, options);
  result.summary.notListed = notListed.sort();
  if (result.summary.perTicker.length) await ctx.catalog.refresh(TABLES);
  return result;
}

/**
 * The proventos kind of runDaily: proventosPhase with the run's options (the day's proventos dead
 * letters fetched again), its tickers reported as RunEvents, its warnings (changed histories, page
 * warnings, --tickers not listed) emitted; `stopped` when a signal left tickers undone.
 */
export async function proventosOfRun(
  ctx: PipelineContext,
  run: RunDate,
  listed: { jobs: readonly ExtractJob[]; kinds: readonly AssetKind[] },
  options: RunOptions,
  previous: readonly DeadLetter[],
  emit: (event: RunEvent) => void,
): Promise<ProventosPhaseResult & { stopped: boolean }> {
  const phase = await proventosPhase(ctx, run, listed, {
    concurrency: options.concurrency,
    limit: options.limit,
    tickers: options.tickers,
    force: options.force,
    refetch: new Set(previous.map((letter) => letter.ticker)),
    onlyRefetch: options.onlyFailed,
    signal: options.signal,
    onStart: (total) => emit({ type: 'phase', phase: 'proventos', detail: `${total} tickers` }),
    onTicker: (end, done, total) =>
      emit({
        type: 'ticker',
        ticker: end.ticker,
        ok: end.status !== 'failed',
        done,
        total,
        ...(end.status === 'failed' && { error: `${end.letter.code}: ${end.letter.message}` }),
        ...(end.status === 'restored' && { restored: true }),
      }),
  });
  if (phase.summary.notListed.length)
    phase.warnings.push(
      `proventos: not on the day's listings, nothing fetched for ${phase.summary.notListed.join(', ')} (--tickers)`,
    );
  for (const warning of phase.warnings) emit({ type: 'warning', message: warning });
  return { ...phase, stopped: Boolean(options.signal?.aborted) && phase.summary.tickers.notAttempted > 0 };
}

/** The archived dividend page of a ticker, and when it was written (right after its fetch). */
interface ArchivedPage {
  key: string;
  modified?: Date;
}

/**
 * Lands each job's dividend history once: rebuilt from the page an earlier run of the day
 * archived unless `force` or a dead letter, else fetched.
 */
export async function proventosAll(
  ctx: PipelineContext,
  anomesdia: number,
  jobs: readonly ExtractJob[],
  options: ProventosPhaseOptions,
): Promise<ProventosPhaseResult> {
  const archived = options.force ? new Map<string, ArchivedPage>() : await archivedPages(ctx, anomesdia);
  const summary: ProventosSummary = {
    listed: {},
    tickers: { total: jobs.length, fetched: 0, restored: 0, failed: 0, notAttempted: 0 },
    rows: 0,
    added: 0,
    removed: 0,
    notListed: [],
    changed: [],
    perTicker: [],
  };
  for (const job of jobs) summary.listed[job.kind] = (summary.listed[job.kind] ?? 0) + 1;
  const result: ProventosPhaseResult = { summary, deadLetters: [], attempted: new Set(), warnings: [] };
  const pageOf = (job: ExtractJob) => archived.get(proventosArchiveKey(anomesdia, job.kind, job.ticker));
  const planned = options.onlyRefetch
    ? jobs.filter((job) => options.refetch?.has(job.ticker) || pageOf(job))
    : [...jobs];
  summary.tickers.notAttempted = jobs.length - planned.length;
  const limit = pLimit(options.concurrency * 2);
  let done = 0;

  const land = async (job: ExtractJob): Promise<TickerEnd | undefined> => {
    const page = options.refetch?.has(job.ticker) ? undefined : pageOf(job);
    if (options.signal?.aborted) return undefined;
    const where = { ticker: job.ticker, kind: job.kind, anomesdia };
    try {
      if (page) return { ticker: job.ticker, status: 'restored', outcome: await restoreProventos(ctx, where, page) };
      return {
        ticker: job.ticker,
        status: 'fetched',
        outcome: await proventosStep(ctx, where, { signal: options.signal }),
      };
    } catch (error) {
      if (options.signal?.aborted) return undefined;
      return {
        ticker: job.ticker,
        status: 'failed',
        letter: toDeadLetter(job.ticker, PROVENTOS_KIND, error, ctx.clock.now()),
      };
    }
  };

  await Promise.all(
    planned.map((job) =>
      limit(async () => {
        const end = await land(job);
        if (!end) {
          summary.tickers.notAttempted++;
          return;
        }
        result.attempted.add(job.ticker);
        if (end.status === 'failed') {
          summary.tickers.failed++;
          result.deadLetters.push(end.letter);
        } else {
          summary.tickers[end.status]++;
          record(result, end);
        }
        options.onTicker?.(end, ++done, planned.length);
      }),
    ),
  );
  summary.perTicker.sort((a, b) => a.ticker.localeCompare(b.ticker));
  summary.changed.sort((a, b) => a.ticker.localeCompare(b.ticker));
  result.deadLetters.sort((a, b) => a.ticker.localeCompare(b.ticker));
  result.warnings = [...summary.changed.map(changeWarning), ...result.warnings.sort()];
  return result;
}

function record(result: ProventosPhaseResult, end: Extract<TickerEnd, { outcome: ProventosOutcome }>): void {
  const { summary } = result;
  const o = end.outcome;
  summary.rows += o.rows;
  summary.added += o.added.length;
  summary.removed += o.removed.length;
  summary.perTicker.push({
    ticker: o.ticker,
    kind: o.kind,
    source: end.status === 'restored' ? 'archive' : 'fetched',
    rows: o.rows,
    added: o.added.length,
    removed: o.removed.length,
    firstFetch: !o.hadHistory,
  });
  if (o.hadHistory && o.removed.length)
    summary.changed.push({ ticker: o.ticker, kind: o.kind, removed: [...o.removed], added: [...o.added] });
  for (const warning of o.warnings) result.warnings.push(`proventos ${o.ticker}: ${warning}`);
}

/** How many row keys a warning names before "and N more". */
const KEYS_SHOWN = 5;

/** A changed history as the run's warning (and the manifest's). */
export function changeWarning(change: ProventosChange): string {
  const keys = (list: readonly string[]) =>
    list.slice(0, KEYS_SHOWN).join(', ') + (list.length > KEYS_SHOWN ? ` and ${list.length - KEYS_SHOWN} more` : '');
  const plural = (n: number) => (n === 1 ? 'row' : 'rows');
  const added = change.added.length
    ? `; ${change.added.length} ${plural(change.added.length)} added (${keys(change.added)})`
    : '';
  return (
    `proventos ${change.ticker}: history changed since its previous snapshot: ${change.removed.length} ` +
    `${plural(change.removed.length)} removed (${keys(change.removed)})${added}`
  );
}

/** Every dividend page archived for D, by landing key. */
async function archivedPages(ctx: PipelineContext, anomesdia: number): Promise<Map<string, ArchivedPage>> {
  const sample = proventosArchiveKey(anomesdia, 'acoes', 'X');
  const prefix = sample.slice(0, sample.indexOf('/acoes/') + 1);
  const pages = new Map<string, ArchivedPage>();
  for (const object of await ctx.stores('landing').list(prefix)) {
    pages.set(object.key, { key: object.key, modified: object.modified });
  }
  return pages;
}

/**
 * Lands a ticker from its archived page without a request. A history written after the page was
 * archived already holds that page (or a later fetch's: a re-run of an older day), so it stays as
 * it is — a re-run of the day writes nothing and the rows stay identical; otherwise (a run stopped
 * between archiving the page and writing the history) the history is rebuilt from the page
 * (storeProventos), fetched at the archive's time.
 */
async function restoreProventos(
  ctx: PipelineContext,
  job: { ticker: string; kind: AssetKind; anomesdia: number },
  page: ArchivedPage,
): Promise<ProventosOutcome> {
  const store = ctx.stores(PROVENTOS.layer);
  const partition = { [PROVENTOS_TICKER_KEY]: job.ticker };
  const history = (await store.list(partitionPrefix(PROVENTOS, partition))).find((o) => isParquetKey(o.key));
  if (history?.modified && page.modified && history.modified >= page.modified) {
    const rows = await readObject(store, PROVENTOS, history.key);
    return {
      ticker: job.ticker,
      kind: job.kind,
      rows: rows.length,
      added: [],
      removed: [],
      hadHistory: true,
      warnings: [],
    };
  }
  const body = await readArchive(ctx.stores('landing'), page.key);
  // A Date of this realm (the store's may come from another one, as fs's do under jest).
  const fetchedAt = page.modified ? new Date(page.modified.getTime()) : ctx.clock.now();
  return storeProventos(ctx, job, body, fetchedAt);
}
