import {
  COTAHIST_FILE_LEDGER as L,
  COTAHIST_YEAR_KEY,
  readObject,
  readPartition,
  table,
  writeObject,
  type ObjectStore,
  type Row,
} from '@b3lake/lake';
import { parseCotahistFileName, type CotahistFileInfo, type CotahistFileKind } from '@b3lake/scraper';
import { lastTradingDayUpTo, previousTradingDay, saoPauloDate } from '../calendar';

/** One COTAHIST file loaded into the lake, as `db_b3lake_ops.tbops_cotahist_arquivos` keeps it. */
export interface LoadedFile {
  file: string;
  kind: CotahistFileKind;
  generatedOn: string;
  /** The first and last trading days in the file (null for a file without quotes). */
  firstDate: string | null;
  lastDate: string | null;
  records: number;
  quotes: number;
  spotRows: number;
  bytes: number;
  sha256: string;
  loadedAt: Date;
  /** When the file was downloaded (its landing archive written); absent in rows written before. */
  downloadedAt?: Date;
}

export const LEDGER = table('cotahist_files');

/** Ledger objects are named after the file: `COTAHIST_A2021.ZIP` → stem `COTAHIST_A2021`. */
export const fileStem = (file: string) => file.replace(/\.(zip|txt)$/i, '').toUpperCase();

export function yearOf(file: string): number {
  return parseCotahistFileName(file).year;
}

function toRow(f: LoadedFile): Row {
  return {
    [L.file]: f.file,
    [L.kind]: f.kind,
    [L.generatedOn]: f.generatedOn,
    [L.firstDate]: f.firstDate,
    [L.lastDate]: f.lastDate,
    [L.records]: f.records,
    [L.quotes]: f.quotes,
    [L.spotRows]: f.spotRows,
    [L.bytes]: f.bytes,
    [L.sha256]: f.sha256,
    [L.loadedAt]: f.loadedAt,
    [L.downloadedAt]: f.downloadedAt ?? null,
  };
}

function fromRow(row: Row): LoadedFile {
  const text = (name: string) => (row[name] === null || row[name] === undefined ? null : String(row[name]));
  return {
    file: String(row[L.file]),
    kind: String(row[L.kind]) as CotahistFileKind,
    generatedOn: String(row[L.generatedOn]),
    firstDate: text(L.firstDate),
    lastDate: text(L.lastDate),
    records: Number(row[L.records]),
    quotes: Number(row[L.quotes]),
    spotRows: Number(row[L.spotRows]),
    bytes: Number(row[L.bytes]),
    sha256: String(row[L.sha256]),
    loadedAt: row[L.loadedAt] as Date,
    ...(row[L.downloadedAt] instanceof Date && { downloadedAt: row[L.downloadedAt] as Date }),
  };
}

/** The files loaded for a year, sorted by name. */
export async function loadedFiles(store: ObjectStore, year: number): Promise<LoadedFile[]> {
  const rows = await readPartition(store, LEDGER, { [COTAHIST_YEAR_KEY]: year });
  return rows.map(fromRow).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** The ledger row of one file, if it was loaded. */
export async function loadedFile(store: ObjectStore, file: string): Promise<LoadedFile | undefined> {
  const found = (await loadedFiles(store, yearOf(file))).find((f) => f.file === file.toUpperCase());
  return found;
}

export async function recordLoadedFile(store: ObjectStore, loaded: LoadedFile): Promise<string> {
  return writeObject(store, LEDGER, { [COTAHIST_YEAR_KEY]: yearOf(loaded.file) }, fileStem(loaded.file), [
    toRow(loaded),
  ]);
}

/** Reads back a ledger object (for specs and tools that hold a key). */
export async function readLedgerObject(store: ObjectStore, key: string): Promise<LoadedFile[]> {
  return (await readObject(store, LEDGER, key)).map(fromRow);
}

/**
 * Whether `other`'s trading days hold all of `file`'s: an annual file holds the days and months
 * of its year it was generated after; a monthly one the days of its month.
 */
export function covers(other: LoadedFile, file: { firstDate: string | null; lastDate: string | null }): boolean {
  if (!other.firstDate || !other.lastDate || !file.firstDate || !file.lastDate) return false;
  return other.firstDate <= file.firstDate && file.lastDate <= other.lastDate;
}

/**
 * The loaded file that already holds the trading days a file's name promises, judged from the
 * name alone (before any download): a day within a loaded annual or monthly file's range, a month
 * whose last calendar day an annual file reaches. Undefined when the file is still needed.
 */
export function coveredByName(loaded: readonly LoadedFile[], file: string): LoadedFile | undefined {
  const info = parseCotahistFileName(file);
  const name = file.toUpperCase();
  if (info.kind === 'annual') return undefined;
  const first = info.date ?? `${info.year}-${String(info.month).padStart(2, '0')}-01`;
  const last = info.date ?? lastDayOfMonth(info.year, info.month as number);
  return loaded.find(
    (other) =>
      other.file !== name &&
      other.kind !== 'daily' &&
      (info.kind === 'daily' || other.kind === 'annual') &&
      !!other.firstDate &&
      !!other.lastDate &&
      other.lastDate >= last &&
      other.firstDate <= (info.kind === 'daily' ? first : other.firstDate),
  );
}

/** The last calendar day of a file's period: its day, its month's last day, or Dec 31. */
export function periodEnd(info: CotahistFileInfo): string {
  if (info.kind === 'daily') return info.date as string;
  return info.kind === 'monthly' ? lastDayOfMonth(info.year, info.month as number) : `${info.year}-12-31`;
}

/**
 * Whether a loaded file is all there is to have of it as of `today` (ISO, São Paulo), so that
 * neither a backfill nor a run downloads it again: a day's file always; an annual or monthly file
 * that holds its period's last session, or that B3 generated on or after it (B3 generates a file
 * after the session it closes with), or that was downloaded after its period ended (what B3 had
 * then is final, whatever our calendar says its last session was); and, while its period runs,
 * one that holds the last session before today (B3 has nothing newer yet). Not judged from when
 * it was loaded: an archive downloaded mid-year and loaded later is still mid-year.
 */
export function isComplete(loaded: LoadedFile, today: string): boolean {
  const info = parseCotahistFileName(loaded.file);
  if (info.kind === 'daily') return true;
  const end = periodEnd(info);
  const lastSession = lastTradingDayUpTo(end);
  const last = loaded.lastDate ?? '';
  if (last >= lastSession || loaded.generatedOn >= lastSession) return true;
  if (loaded.downloadedAt && saoPauloDate(loaded.downloadedAt) > end) return true;
  return today <= end && last >= previousTradingDay(today);
}

function lastDayOfMonth(year: number, month: number): string {
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
