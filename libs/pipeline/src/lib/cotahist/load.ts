import { createHash } from 'node:crypto';
import {
  COTAHIST_COLUMNS,
  COTAHIST_YEAR_KEY,
  FixedWidthRecordError,
  getStream,
  objectKey,
  putStream,
  safeSegment,
  table,
  type FixedWidthWriter,
  type ObjectStore,
} from '@b3lake/lake';
import { CotahistFormatError, CotahistReader, parseCotahistFileName, type RequestOptions } from '@b3lake/scraper';
import { PipelineError } from '../errors';
import type { HistorySource, PipelineContext } from '../ports';
import { LEDGER, covers, fileStem, loadedFiles, recordLoadedFile, yearOf, type LoadedFile } from './ledger';
import { SPOT_FILTER, cotahistMapping } from './mapping';

const SOT = table('cotahist');
const SPOT = table('cotahist_spot');

/** Landing key of an archived COTAHIST file, kept verbatim: `cotahist/ano=2021/COTAHIST_A2021.ZIP`. */
export function cotahistArchiveKey(file: string): string {
  const name = file.toUpperCase();
  return `cotahist/${COTAHIST_YEAR_KEY}=${yearOf(name)}/${safeSegment('file name', name)}`;
}

/** A record whose trading day is not in the year its file's name gives (a mislabelled or renamed file). */
export class CotahistWrongYearError extends PipelineError {
  readonly code = 'COTAHIST_WRONG_YEAR';
  constructor(
    readonly file: string,
    readonly date: string,
  ) {
    super(`${file} holds a quote of ${date}, outside the year its name gives; check the file (renamed?)`);
    this.name = 'CotahistWrongYearError';
  }
}

/** A context without what the history steps need (a COTAHIST source or a fixed-width writer). */
export class HistoryNotConfiguredError extends PipelineError {
  readonly code = 'HISTORY_NOT_CONFIGURED';
  constructor(what: string) {
    super(`this pipeline context has no ${what}; the COTAHIST steps need one`);
    this.name = 'HistoryNotConfiguredError';
  }
}

export interface FetchedCotahist {
  file: string;
  key: string;
  url: string;
  bytes: number;
}

/** Downloads a COTAHIST zip into the landing zone, verbatim and streamed (an annual zip is ~90 MB). */
export async function fetchCotahistFile(
  ctx: PipelineContext,
  file: string,
  options: RequestOptions & { onBytes?: (bytes: number, size?: number) => void } = {},
): Promise<FetchedCotahist> {
  const source: HistorySource = ctx.history ?? fail('COTAHIST source');
  const name = file.toUpperCase();
  const key = cotahistArchiveKey(name);
  const download = await source.download(name, options);
  let bytes = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of download.body) {
      bytes += chunk.byteLength;
      options.onBytes?.(bytes, download.size);
      yield chunk;
    }
  }
  try {
    await putStream(ctx.stores('landing'), key, counted());
  } catch (error) {
    await download.cancel().catch(() => undefined);
    throw error;
  }
  return { file: name, key, url: download.url, bytes };
}

export type CotahistLoadStatus = 'loaded' | 'unchanged' | 'covered';

export interface CotahistLoadResult {
  file: string;
  year: number;
  /** loaded; unchanged (the same bytes were loaded before); covered (a loaded file holds all its days). */
  status: CotahistLoadStatus;
  /** The ledger row (also for unchanged and covered files: the row already there, or what was read). */
  loaded: LoadedFile;
  /** Files whose days this one holds: their objects were removed. */
  replaced: string[];
  /** For a covered file: the file that holds its days. */
  coveredBy?: string;
  /** Seconds spent reading and writing. */
  seconds: number;
}

export interface LoadOptions {
  /** Load again even when the same bytes were loaded before. */
  force?: boolean;
  /** Called as the archived file is read: bytes of it read so far, of `size`, and quotes so far. */
  onProgress?: (progress: { sourceBytes: number; size: number; quotes: number }) => void;
  /**
   * The year's ledger when the caller holds it (a backfill of many daily files): spares reading
   * every ledger object again per file. Kept current: the loaded file is added, replaced ones removed.
   */
  ledger?: LoadedFile[];
  /** Stops the load between batches of records (nothing is recorded; the archive stays). */
  signal?: AbortSignal;
}

/**
 * Loads an archived COTAHIST file into `tbsot_b3_cotacoes_historicas` (every record) and
 * `tbspec_b3_cotacoes_diarias` (the spot market), one object per file in the year's partition,
 * and records it in the ledger. Idempotent: the same bytes again change nothing (unless `force`),
 * a file's objects are replaced whole. A file whose days a loaded file already holds (a day
 * within a loaded annual file) is not kept; a file that holds a loaded file's days (the annual
 * file over the year's daily files) replaces it.
 */
export async function loadCotahistFile(
  ctx: PipelineContext,
  file: string,
  options: LoadOptions = {},
): Promise<CotahistLoadResult> {
  const writer: FixedWidthWriter = ctx.fixedWidth ?? fail('fixed-width writer');
  const started = Date.now();
  const name = file.toUpperCase();
  const info = parseCotahistFileName(name);
  const year = info.year;
  const landing = ctx.stores('landing');
  const sot = ctx.stores('sot');
  const key = cotahistArchiveKey(name);
  const ledger = options.ledger ?? (await loadedFiles(sot, year));
  const before = ledger.find((f) => f.file === name);
  const seconds = () => (Date.now() - started) / 1000;
  const archived = (await landing.list(key)).find((o) => o.key === key);
  const size = archived?.size ?? 0;
  // Hashed ahead only when it may be the same file again; otherwise while it is read.
  if (before && before.bytes === size && !options.force && (await digest(landing, key)) === before.sha256) {
    return { file: name, year, status: 'unchanged', loaded: before, replaced: [], seconds: seconds() };
  }

  const partition = { [COTAHIST_YEAR_KEY]: year };
  const stem = fileStem(name);
  const keys = { sot: objectKey(SOT, partition, stem), spot: objectKey(SPOT, partition, stem) };
  const dates = { first: Number.POSITIVE_INFINITY, last: Number.NEGATIVE_INFINITY };
  const hash = createHash('sha256');
  let bytes = 0;
  async function* hashed(): AsyncGenerator<Uint8Array> {
    for await (const chunk of getStream(landing, key)) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      yield chunk;
    }
  }
  const reader = new CotahistReader(hashed());
  let quotes = 0;
  async function* checked(): AsyncGenerator<Uint8Array[]> {
    // The writer checks every field as it copies it (errors renamed to the layout's below).
    for await (const batch of reader.quoteRecords({ checkFields: false })) {
      options.signal?.throwIfAborted();
      for (const record of batch) {
        const day = dayOf(record);
        if (Math.floor(day / 10_000) !== year) throw new CotahistWrongYearError(name, isoOf(day));
        if (day < dates.first) dates.first = day;
        if (day > dates.last) dates.last = day;
      }
      quotes += batch.length;
      options.onProgress?.({ sourceBytes: reader.sourceBytes, size, quotes });
      yield batch;
    }
  }
  const [written, spotRows] = await writer
    .write(
      checked(),
      cotahistMapping(name),
      [
        { table: SOT, key: keys.sot },
        { table: SPOT, key: keys.spot, where: SPOT_FILTER },
      ],
      ctx.stores,
    )
    .catch((error: unknown) => {
      throw asLayoutError(error);
    });
  const sha256 = hash.digest('hex');
  const loaded: LoadedFile = {
    file: name,
    kind: info.kind,
    generatedOn: reader.header?.generatedOn ?? '',
    firstDate: written ? isoOf(dates.first) : null,
    lastDate: written ? isoOf(dates.last) : null,
    records: reader.records,
    quotes: written,
    spotRows,
    bytes,
    sha256,
    loadedAt: ctx.clock.now(),
    // Never later than the run's clock (a test's clock, an object store's skewed one); a Date of
    // this realm, too (a store's may come from another one: fs.stat's under jest).
    ...(archived?.modified && {
      downloadedAt: new Date(Math.min(archived.modified.getTime(), ctx.clock.now().getTime())),
    }),
  };

  const holder = ledger.find((other) => SCOPE[other.kind] > SCOPE[info.kind] && covers(other, loaded));
  if (holder && loaded.firstDate) {
    await removeObjects(ctx, year, [name]);
    return { file: name, year, status: 'covered', loaded, replaced: [], coveredBy: holder.file, seconds: seconds() };
  }
  const replaced = ledger
    .filter((other) => SCOPE[other.kind] < SCOPE[info.kind] && covers(loaded, other))
    .map((f) => f.file);
  await removeObjects(ctx, year, replaced);
  await recordLoadedFile(sot, loaded);
  if (options.ledger) {
    const kept = options.ledger.filter((f) => f.file !== name && !replaced.includes(f.file));
    options.ledger.splice(0, options.ledger.length, ...kept, loaded);
    options.ledger.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }
  await ctx.catalog.addPartitions?.(SOT, [partition]);
  await ctx.catalog.addPartitions?.(SPOT, [partition]);
  await ctx.catalog.addPartitions?.(LEDGER, [partition]);
  return { file: name, year, status: 'loaded', loaded, replaced, seconds: seconds() };
}

/** Only a file of a wider kind holds another's days (an annual file and a day file of one session tie on dates). */
const SCOPE = { daily: 0, monthly: 1, annual: 2 } as const;

/** Removes files' objects from both tables and the ledger (the archived zips stay in landing). */
async function removeObjects(ctx: PipelineContext, year: number, files: readonly string[]): Promise<void> {
  if (!files.length) return;
  const partition = { [COTAHIST_YEAR_KEY]: year };
  for (const def of [SOT, SPOT, LEDGER]) {
    await ctx.stores(def.layer).delete(files.map((f) => objectKey(def, partition, fileStem(f))));
  }
}

async function digest(store: ObjectStore, key: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of getStream(store, key)) hash.update(chunk);
  return hash.digest('hex');
}

const FIELD_OF_COLUMN = new Map<string, string>(
  Object.entries(COTAHIST_COLUMNS).map(([field, column]) => [column, field]),
);

/**
 * A writer's error about a quote record, as the reader would name it: the file's line (the header
 * is line 1, quotes follow it) and the layout's field code.
 */
function asLayoutError(error: unknown): unknown {
  if (!(error instanceof FixedWidthRecordError) || error.record < 1) return error;
  const reason = error.message.replace(/^record \d+(, column [^:]+)?: /, '');
  return new CotahistFormatError(error.record + 1, FIELD_OF_COLUMN.get(error.column) ?? '', reason);
}

/** DATPRE (positions 3–10) as the number yyyymmdd; the reader has checked it is a date. */
function dayOf(record: Uint8Array): number {
  let day = 0;
  for (let i = 2; i < 10; i++) day = day * 10 + record[i] - 48;
  return day;
}

const isoOf = (day: number) => {
  const text = String(day);
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
};

function fail(what: string): never {
  throw new HistoryNotConfiguredError(what);
}
