import type { Io } from './io';
import { formatClock, formatDuration } from './progress';

/** 89.1 MB, 0.2 MB, 14.3 kB: in units of 10^6 and 10^3 bytes, as `ls -h --si` counts them. */
export const megabytes = (bytes: number, unitOf = bytes): string =>
  unitOf < 1e5 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;

/** 1,000,402 */
export const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Where one file is: its bytes coming in, or its records going into the tables. */
export type FileStage =
  | { stage: 'download'; bytes: number; size?: number; elapsedMs: number }
  | { stage: 'load'; sourceBytes: number; size: number; records: number; elapsedMs: number };

/** `[3/12] COTAHIST_A2021.ZIP` */
export const fileTitle = (index: number, total: number, file: string): string => `[${index}/${total}] ${file}`;

/** Time left at the pace so far, or undefined before there is one (or when the size is unknown). */
export function stageRemainingMs(s: FileStage): number | undefined {
  const done = s.stage === 'download' ? s.bytes : s.sourceBytes;
  const size = s.size;
  if (!size || done <= 0 || s.elapsedMs <= 0) return undefined;
  return (Math.max(0, size - done) * s.elapsedMs) / done;
}

function bar(fraction: number, width = 10): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/**
 * The redrawn line of a file, what matters first (a terminal of 80 columns cuts the end):
 * `b3lake: [3/12] COTAHIST_A2021.ZIP download [#####.....] 45.2/89.1 MB  ETA 0:04  12.3 MB/s`, then
 * `b3lake: [3/12] COTAHIST_A2021.ZIP load [####......] 410,000 records  ETA 0:03  250,000 records/s`.
 */
export function stageLine(title: string, s: FileStage): string {
  const seconds = s.elapsedMs / 1000;
  const left = stageRemainingMs(s);
  const eta = `ETA ${left === undefined ? '-:--' : formatClock(left)}`;
  if (s.stage === 'download') {
    // 45.2/89.1 MB, 0.4/0.8 kB: the bytes so far in the size's unit.
    const of = s.size ? `${megabytes(s.bytes, s.size).split(' ')[0]}/${megabytes(s.size)}` : megabytes(s.bytes);
    const rate = seconds > 0 ? `${(s.bytes / 1e6 / seconds).toFixed(1)} MB/s` : '';
    return [`b3lake: ${title} download ${bar(s.size ? s.bytes / s.size : 0)} ${of}`, eta, rate]
      .filter(Boolean)
      .join('  ');
  }
  const rate = seconds > 0 ? `${count(s.records / seconds)} records/s` : '';
  return [`b3lake: ${title} load ${bar(s.size ? s.sourceBytes / s.size : 0)} ${count(s.records)} records`, eta, rate]
    .filter(Boolean)
    .join('  ');
}

const CLEAR_LINE = '\r\x1b[2K';
/** Redraws at most this often (a year's load reports every chunk). */
const REDRAW_MS = 100;
/** Below this size a file gets no plain progress lines in a log, only its result. */
const LOG_STEPS_FROM_BYTES = 5e6;

export interface BackfillReporter {
  /** A file's download or load starts. */
  start(stage: 'download' | 'load', title: string): void;
  /** Bytes downloaded so far, of `size` when known. */
  bytes(bytes: number, size?: number): void;
  /** While loading: archive bytes read, of `size`, and records so far. */
  load(progress: { sourceBytes: number; size: number; quotes: number }): void;
  /** A whole line (a retry), above the redrawn one if there is one. */
  line(text: string): void;
  /** The file's result line, in place of its redrawn one. */
  done(text: string): void;
  /** Clears the redrawn line (before the summary). */
  end(): void;
}

/**
 * Progress of a backfill on stderr. On a terminal one redrawn line per file (bytes, MB/s and ETA
 * while it downloads; records, records/s and ETA while it loads) and a line left per file with its
 * result. In a log the results only, plus every 10% of a large file (an annual one).
 */
export function backfillReporter(
  io: Io,
  stderrIsTty: boolean,
  write: (text: string) => void,
  options: { columns?: number } = {},
): BackfillReporter {
  const columns = () => Math.max(20, (options.columns || process.stderr.columns || 80) - 1);
  let current: { title: string; stage: 'download' | 'load'; startedAt: number; drawn: boolean } | undefined;
  let last: FileStage | undefined;
  let lastDraw = 0;
  let lastDecile = -1;
  let ticker: ReturnType<typeof setInterval> | undefined;

  const elapsed = () => (current ? Date.now() - current.startedAt : 0);
  const draw = () => {
    if (!current || !last) return;
    lastDraw = Date.now();
    current.drawn = true;
    write(CLEAR_LINE + stageLine(current.title, { ...last, elapsedMs: elapsed() }).slice(0, columns()));
  };
  const clear = () => {
    if (current?.drawn) write(CLEAR_LINE);
    if (current) current.drawn = false;
  };
  const update = (stage: FileStage, done: number, size: number | undefined) => {
    last = stage;
    if (stderrIsTty) {
      if (Date.now() - lastDraw >= REDRAW_MS || (size !== undefined && done >= size)) draw();
      return;
    }
    if (!current || !size || size < LOG_STEPS_FROM_BYTES) return;
    const decile = Math.floor((done / size) * 10);
    if (decile === lastDecile || decile >= 10 || decile === 0) return;
    lastDecile = decile;
    const left = stageRemainingMs({ ...stage, elapsedMs: elapsed() });
    io.err(
      `b3lake: ${current.title} ${current.stage} ${decile * 10}%, ${formatClock(elapsed())} elapsed` +
        (left === undefined ? '' : `, ETA ${formatClock(left)}`),
    );
  };

  return {
    start(stage, title) {
      clear();
      current = { title, stage, startedAt: Date.now(), drawn: false };
      last = stage === 'download' ? { stage, bytes: 0, elapsedMs: 0 } : undefined;
      lastDecile = -1;
      if (stderrIsTty) {
        if (stage === 'download') draw();
        if (!ticker) {
          ticker = setInterval(draw, 1000);
          ticker.unref?.();
        }
      }
    },
    bytes(bytes, size) {
      update({ stage: 'download', bytes, size, elapsedMs: 0 }, bytes, size);
    },
    load(p) {
      update(
        { stage: 'load', sourceBytes: p.sourceBytes, size: p.size, records: p.quotes, elapsedMs: 0 },
        p.sourceBytes,
        p.size,
      );
    },
    line(text) {
      const redraw = current?.drawn;
      clear();
      io.err(text);
      if (redraw) draw();
    },
    done(text) {
      clear();
      current = undefined;
      last = undefined;
      io.err(text);
    },
    end() {
      clear();
      if (ticker) clearInterval(ticker);
      ticker = undefined;
      current = undefined;
    },
  };
}

/** A file's result line: `b3lake: [3/12] COTAHIST_A2021.ZIP: 89.1 MB in 7.2 s; 1,000,402 records … loaded in 4.1 s`. */
export function fileDoneLine(
  title: string,
  r: { downloadedBytes: number; downloadMs: number; quotes: number; spotRows: number; loadMs: number },
): string {
  const download = r.downloadedBytes
    ? `${megabytes(r.downloadedBytes)} downloaded in ${formatDuration(r.downloadMs)}`
    : 'from the archive';
  // A pace means something for a large file only (a day's load is mostly opening the writer).
  const pace = r.loadMs > 0 && r.quotes >= 10_000 ? `, ${count((r.quotes * 1000) / r.loadMs)} records/s` : '';
  return (
    `b3lake: ${title}: ${download}; ${count(r.quotes)} records (${count(r.spotRows)} spot rows) ` +
    `loaded in ${formatDuration(r.loadMs)}${pace}`
  );
}
