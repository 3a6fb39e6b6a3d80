/** What a backfill reports: per file, per year (the summary table) and as a whole (--json). */
import { COTAHIST_URL } from '@b3lake/scraper';
import { count, megabytes } from '../backfill-progress';
import { dataDirArg } from '../options';
import { formatDuration } from '../progress';
import { textTable } from './text-table';

export type FileOutcome =
  'loaded' | 'unchanged' | 'covered' | 'already-loaded' | 'not-published' | 'failed' | 'not-attempted';

export interface FileReport {
  file: string;
  year: number;
  outcome: FileOutcome;
  downloadedBytes: number;
  quotes: number;
  spotRows: number;
  seconds: number;
  replaced: string[];
  coveredBy?: string;
  /** From the archive an earlier run downloaded (no request). */
  fromArchive?: boolean;
  error?: { code: string; message: string };
}

export interface YearReport {
  year: number;
  /** Files loaded by this backfill. */
  files: number;
  quotes: number;
  spotRows: number;
  downloadedBytes: number;
  seconds: number;
  replaced: string[];
  skipped: number;
  notPublished: number;
  failed: number;
}

export interface BackfillReport {
  source: 'cotahist';
  from: string;
  to: string;
  status: 'complete' | 'partial' | 'interrupted';
  plan: { toFetch: number; fromArchive: number; alreadyLoaded: number; covered: number; nonTradingDays: number };
  files: FileReport[];
  years: YearReport[];
  durationMs: number;
  peakRssMb: number;
}

export function byYear(reports: readonly FileReport[]): YearReport[] {
  const years = new Map<number, YearReport>();
  for (const r of reports) {
    let y = years.get(r.year);
    if (!y) {
      y = {
        year: r.year,
        files: 0,
        quotes: 0,
        spotRows: 0,
        downloadedBytes: 0,
        seconds: 0,
        replaced: [],
        skipped: 0,
        notPublished: 0,
        failed: 0,
      };
      years.set(r.year, y);
    }
    y.downloadedBytes += r.downloadedBytes;
    y.seconds += r.seconds;
    if (r.outcome === 'loaded') {
      y.files++;
      y.quotes += r.quotes;
      y.spotRows += r.spotRows;
      y.replaced.push(...r.replaced);
    } else if (r.outcome === 'not-published') y.notPublished++;
    else if (r.outcome === 'failed') y.failed++;
    else if (r.outcome !== 'not-attempted') y.skipped++;
  }
  return [...years.values()].map((y) => ({ ...y, seconds: Math.round(y.seconds * 10) / 10 }));
}

export function formatReport(r: BackfillReport, root: string, dataDir: string): string {
  const range = r.from === r.to ? r.from : `${r.from} to ${r.to}`;
  const lines = [`Backfill cotahist ${range} ${r.status} in ${formatDuration(r.durationMs)} → ${root}`];
  const rows = r.years.map((y) => ({
    year: y.year,
    loaded: y.files,
    records: count(y.quotes),
    'spot rows': count(y.spotRows),
    downloaded: megabytes(y.downloadedBytes),
    seconds: y.seconds.toFixed(1),
    'already there': y.skipped,
    'not published': y.notPublished,
    failed: y.failed,
    replaced: y.replaced.length,
  }));
  const names = ['year', 'loaded', 'records', 'spot rows', 'downloaded', 'seconds', 'already there'];
  names.push('not published', 'failed', 'replaced');
  lines.push(textTable(names, rows, { noun: 'year' }));
  const total = (f: (y: YearReport) => number) => r.years.reduce((sum, y) => sum + f(y), 0);
  lines.push(
    `total: ${total((y) => y.files)} file${total((y) => y.files) === 1 ? '' : 's'} loaded, ` +
      `${count(total((y) => y.quotes))} records, ` +
      `${count(total((y) => y.spotRows))} spot rows, ${megabytes(total((y) => y.downloadedBytes))} downloaded; ` +
      `peak memory ${r.peakRssMb} MB`,
  );
  const notPublished = r.files.filter((f) => f.outcome === 'not-published').map((f) => f.file);
  if (notPublished.length)
    lines.push(`not published by B3 (not yet, or a holiday the calendar does not know): ${listed(notPublished)}`);
  const asked = r.files.filter((f) => !['already-loaded', 'covered', 'not-attempted'].includes(f.outcome));
  // Every file missing is more likely a wrong address than a B3 that published nothing.
  if (notPublished.length > 1 && notPublished.length === asked.length)
    lines.push(
      `none of the ${notPublished.length} files asked for was found: if they should be there, check ` +
        `--cotahist-url, the folder that holds the zips (B3's is ${COTAHIST_URL})`,
    );
  const replaced = r.files.flatMap((f) => f.replaced);
  if (replaced.length) lines.push(`replaced (their days are in a file loaded now): ${listed(replaced)}`);
  for (const f of r.files.filter((x) => x.outcome === 'failed')) lines.push(`failed: ${f.file}: ${f.error?.message}`);
  if (r.files.some((f) => ['loaded', 'unchanged', 'already-loaded', 'covered'].includes(f.outcome)))
    lines.push(
      `Query: npx b3lake query "SELECT dt_pregao, vlr_fechamento FROM db_b3lake_spec.tbspec_b3_cotacoes_diarias ` +
        `WHERE codigo_ticker = 'PETR4' ORDER BY dt_pregao"${dataDirArg(dataDir)}`,
    );
  return lines.join('\n');
}

const listed = (names: readonly string[]) =>
  names.length > 8 ? `${names.slice(0, 8).join(', ')} … (${names.length})` : names.join(', ');
