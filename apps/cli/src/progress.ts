import type { RunEvent } from '@b3lake/pipeline';
import type { Io } from './io';

export type RunPhase = Extract<RunEvent, { type: 'phase' }>['phase'];

/**
 * An event the display understands beyond today's RunEvent (asked of runDaily): a phase finished
 * after `ms`. Until runDaily sends it (see ProgressOptions.phaseEnds), a phase is closed by the
 * next one, and the extract phase by its last ticker.
 */
export type PhaseEndEvent = { type: 'phase-end'; phase: RunPhase; ms: number };
export type ProgressEvent = RunEvent | PhaseEndEvent;

export interface ProgressOptions {
  /** Terminal width: the redrawn line is cut to it, since `\r` only returns within one line. */
  columns?: number;
  /**
   * runDaily sends a phase-end after each phase. Then every phase is one redrawn line on a
   * terminal; without it only the extract bar is (it ends with the last ticker), since nothing
   * would close the last phase's line before the summary.
   */
  phaseEnds?: boolean;
}

/** Clock time of a running phase: 0:08, 12:05, 1:02:03. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** A finished phase's duration: 0.6 s, 18.1 s, 6 min 05 s, 1 h 02 min. */
export function formatDuration(ms: number): string {
  if (ms < 59_950) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  const minutes = Math.floor(Math.round(ms / 1000) / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.round(ms / 1000) % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export interface ExtractProgress {
  done: number;
  total: number;
  failed: number;
  /** Tickers landed from pages an earlier run of the day archived: instant, so not a pace. */
  restored: number;
  elapsedMs: number;
}

/**
 * Time left in the extract phase, or undefined before there is a pace to go by. The pace is that
 * of fetched tickers only: restored ones land at once and would make the estimate hopeful.
 */
export function remainingMs(p: ExtractProgress): number | undefined {
  const fetched = p.done - p.restored;
  const paced = fetched > 0 ? fetched : p.done;
  if (paced <= 0 || p.elapsedMs <= 0) return undefined;
  return ((p.total - p.done) * p.elapsedMs) / paced;
}

/** The phases that go ticker by ticker (detail pages, dividend pages): they show a bar. */
const TICKER_PHASES: ReadonlySet<RunPhase> = new Set<RunPhase>(['extract', 'proventos']);

/** The TTY bar: `b3lake: extract [#####.....] 700/1400  87.5/s  0:08 elapsed  ETA 0:08  2 failed`. */
export function extractBar(p: ExtractProgress, barWidth = 20, phase: RunPhase = 'extract'): string {
  const filled = p.total ? Math.round((p.done / p.total) * barWidth) : 0;
  const bar = '#'.repeat(filled) + '.'.repeat(barWidth - filled);
  const rate = p.elapsedMs > 0 ? `${((p.done * 1000) / p.elapsedMs).toFixed(1)}/s` : '';
  const left = remainingMs(p);
  return [
    `b3lake: ${phase} [${bar}] ${p.done}/${p.total}`,
    rate,
    `${formatClock(p.elapsedMs)} elapsed`,
    `ETA ${left === undefined ? '-:--' : formatClock(left)}`,
    p.failed ? `${p.failed} failed` : '',
  ]
    .filter(Boolean)
    .join('  ');
}

/** The line a finished phase leaves: `b3lake: extract done in 18.1 s: 1398 landed (312 from the archive), 2 failed`. */
export function phaseDoneLine(phase: RunPhase, ms: number, extract?: ExtractProgress): string {
  const line = `b3lake: ${phase} done in ${formatDuration(ms)}`;
  if (!TICKER_PHASES.has(phase) || !extract) return line;
  const landed = extract.done - extract.failed;
  const archived = extract.restored ? ` (${extract.restored} from the archive)` : '';
  return `${line}: ${landed} landed${archived}, ${extract.failed} failed`;
}

const CLEAR_LINE = '\r\x1b[2K';
/** Redraws at most this often while tickers land (a market is ~1,400 events). */
const REDRAW_MS = 100;
/** Redraws this often anyway, so the elapsed time moves during a slow request or a long finalize. */
const TICK_MS = 1000;

/**
 * Progress of a run on stderr. On a terminal: one redrawn line per phase with its name and
 * elapsed time (the extract bar adds done/total, pace and ETA), left as `… done in 0.6 s`.
 * Otherwise plain lines, so logs stay readable: each phase, every 10% of the tickers, every
 * failure, each phase's duration. Small enough not to warrant a dependency.
 */
export function progressReporter(
  io: Io,
  stderrIsTty: boolean,
  write: (text: string) => void,
  options: ProgressOptions = {},
): (event: ProgressEvent) => void {
  // A pseudo-terminal without a size reports 0 columns.
  const columns = () => Math.max(20, (options.columns || process.stderr.columns || 80) - 1);
  let phase: { name: RunPhase; detail?: string; startedAt: number; inPlace: boolean } | undefined;
  let extract: ExtractProgress = { done: 0, total: 0, failed: 0, restored: 0, elapsedMs: 0 };
  let lastDecile = -1;
  let lastDraw = 0;
  let ticker: ReturnType<typeof setInterval> | undefined;
  const title = (name: RunPhase, detail?: string) => `b3lake: ${name}${detail ? ` (${detail})` : ''}`;

  const currentLine = (): string => {
    if (!phase) return '';
    const elapsedMs = Date.now() - phase.startedAt;
    // Before its first ticker a ticker phase shows how many there are, as the other phases show theirs.
    if (TICKER_PHASES.has(phase.name) && extract.total) return extractBar({ ...extract, elapsedMs }, 20, phase.name);
    return `${title(phase.name, phase.detail)} … ${formatClock(elapsedMs)}`;
  };
  const draw = () => {
    lastDraw = Date.now();
    write(CLEAR_LINE + currentLine().slice(0, columns()));
  };
  /** A whole line, above the redrawn one if there is one. */
  const say = (line: string) => {
    if (phase?.inPlace) write(CLEAR_LINE);
    io.err(line);
    if (phase?.inPlace) draw();
  };
  const endPhase = (ms?: number) => {
    if (!phase) return;
    if (ticker) clearInterval(ticker);
    ticker = undefined;
    const elapsed = ms ?? Date.now() - phase.startedAt;
    if (phase.inPlace) write(CLEAR_LINE);
    io.err(phaseDoneLine(phase.name, elapsed, TICKER_PHASES.has(phase.name) ? extract : undefined));
    phase = undefined;
  };
  const startPhase = (name: RunPhase, detail?: string) => {
    endPhase();
    const inPlace = stderrIsTty && (Boolean(options.phaseEnds) || TICKER_PHASES.has(name));
    phase = { name, detail, startedAt: Date.now(), inPlace };
    // Each ticker phase counts its own tickers (the dividend pages after the detail pages).
    if (TICKER_PHASES.has(name)) extract = { done: 0, total: 0, failed: 0, restored: 0, elapsedMs: 0 };
    lastDecile = -1;
    if (!inPlace) return io.err(title(name, detail));
    draw();
    ticker = setInterval(draw, TICK_MS);
    ticker.unref?.();
  };

  return (event) => {
    switch (event.type) {
      case 'phase':
        return startPhase(event.phase, event.detail);
      case 'phase-end':
        if (phase?.name === event.phase) endPhase(event.ms);
        return;
      case 'warning':
        return; // `run` prints the summary's warnings after the summary, where they are read
      case 'ticker':
        return onTicker(event);
    }
  };

  function onTicker(event: Extract<RunEvent, { type: 'ticker' }>): void {
    const restored = 'restored' in event && event.restored === true;
    const firstBar = extract.total === 0;
    extract = {
      ...extract,
      done: event.done,
      total: event.total,
      failed: extract.failed + (event.ok ? 0 : 1),
      restored: extract.restored + (restored ? 1 : 0),
    };
    if (!event.ok) say(`  ✗ ${event.ticker}: ${event.error}`);
    const last = event.done === event.total;
    if (phase?.inPlace) {
      if (firstBar || last || Date.now() - lastDraw >= REDRAW_MS) draw();
      // Without phase-end events the last ticker ends the phase: nothing else would close its line.
      if (last && !options.phaseEnds) endPhase();
      return;
    }
    const decile = Math.floor((event.done / event.total) * 10);
    if (decile === lastDecile && !last) return;
    lastDecile = decile;
    const elapsedMs = phase ? Date.now() - phase.startedAt : 0;
    const left = remainingMs({ ...extract, elapsedMs });
    const eta = left === undefined || last ? '' : `, ETA ${formatClock(left)}`;
    io.err(
      `  ${event.done}/${event.total} tickers (${Math.round((event.done / event.total) * 100)}%), ` +
        `${formatClock(elapsedMs)} elapsed${eta}`,
    );
  }
}
