import type { Io } from './io';
import {
  extractBar,
  formatClock,
  formatDuration,
  phaseDoneLine,
  progressReporter,
  remainingMs,
  type ProgressEvent,
} from './progress';

/** What the user sees: lines written through io.err, and the raw TTY writes (redraws). */
function screen(tty: boolean, { columns = 200, phaseEnds = true } = {}) {
  const lines: string[] = [];
  const writes: string[] = [];
  const io: Io = { out: () => undefined, err: (t) => lines.push(t), isTty: tty };
  const report = progressReporter(io, tty, (t) => writes.push(t), { columns, phaseEnds });
  /** The redrawn line as it stands: the text after the last clear. */
  const current = () => writes.join('').split('\r\x1b[2K').pop() ?? '';
  return { lines, writes, report, current };
}

const ticker = (done: number, total: number, extra: Partial<ProgressEvent> = {}): ProgressEvent =>
  ({ type: 'ticker', ticker: `T${done}`, ok: true, done, total, ...extra }) as ProgressEvent;

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-11-19T18:45:00Z') });
});
afterEach(() => jest.useRealTimers());

describe('formatting', () => {
  it('shows a running clock as m:ss, h:mm:ss past an hour', () => {
    expect([formatClock(0), formatClock(8_400), formatClock(725_000), formatClock(3_723_000)]).toEqual([
      '0:00',
      '0:08',
      '12:05',
      '1:02:03',
    ]);
  });

  it('shows a finished phase in seconds with a decimal, then minutes, then hours', () => {
    expect([formatDuration(600), formatDuration(18_140), formatDuration(365_000), formatDuration(3_720_000)]).toEqual([
      '0.6 s',
      '18.1 s',
      '6 min 05 s',
      '1 h 02 min',
    ]);
  });
});

describe('remainingMs', () => {
  it('extrapolates the pace so far over the tickers left', () => {
    expect(remainingMs({ done: 100, total: 400, failed: 0, restored: 0, elapsedMs: 10_000 })).toBe(30_000);
  });

  it('has no estimate before the first ticker lands', () => {
    expect(remainingMs({ done: 0, total: 400, failed: 0, restored: 0, elapsedMs: 5_000 })).toBeUndefined();
  });

  it('paces on fetched tickers only: pages restored from the archive land at once', () => {
    // 300 restored instantly, 100 fetched in 10 s: the 600 left take 60 s, not 15 s.
    expect(remainingMs({ done: 400, total: 1000, failed: 0, restored: 300, elapsedMs: 10_000 })).toBe(60_000);
  });
});

describe('extractBar and phaseDoneLine', () => {
  it('puts the phase name, count, pace, elapsed time, ETA and failures on the bar line', () => {
    expect(extractBar({ done: 700, total: 1400, failed: 2, restored: 0, elapsedMs: 8_000 }, 10)).toBe(
      'b3lake: extract [#####.....] 700/1400  87.5/s  0:08 elapsed  ETA 0:08  2 failed',
    );
  });

  it('shows an unknown ETA as -:-- and leaves out failures when there are none', () => {
    expect(extractBar({ done: 0, total: 10, failed: 0, restored: 0, elapsedMs: 0 }, 4)).toBe(
      'b3lake: extract [....] 0/10  0:00 elapsed  ETA -:--',
    );
  });

  it('sums up the extract phase: landed, from the archive, failed', () => {
    expect(phaseDoneLine('extract', 18_100, { done: 1400, total: 1400, failed: 2, restored: 312, elapsedMs: 0 })).toBe(
      'b3lake: extract done in 18.1 s: 1398 landed (312 from the archive), 2 failed',
    );
    expect(phaseDoneLine('finalize', 900)).toBe('b3lake: finalize done in 0.9 s');
  });
});

describe('progressReporter without a terminal (logs)', () => {
  it('prints each phase, every 10% with elapsed time and ETA, and each phase duration', () => {
    const { lines, writes, report } = screen(false);
    report({ type: 'phase', phase: 'list' });
    jest.advanceTimersByTime(600);
    report({ type: 'phase-end', phase: 'list', ms: 600 });
    report({ type: 'phase', phase: 'extract', detail: '20 tickers' });
    for (let done = 1; done <= 20; done++) {
      jest.advanceTimersByTime(500);
      report(ticker(done, 20));
    }
    report({ type: 'phase-end', phase: 'extract', ms: 10_000 });
    report({ type: 'phase', phase: 'finalize' });
    report({ type: 'phase-end', phase: 'finalize', ms: 900 });
    expect(writes).toEqual([]);
    expect(lines).toEqual([
      'b3lake: list',
      'b3lake: list done in 0.6 s',
      'b3lake: extract (20 tickers)',
      '  1/20 tickers (5%), 0:01 elapsed, ETA 0:10',
      '  2/20 tickers (10%), 0:01 elapsed, ETA 0:09',
      '  4/20 tickers (20%), 0:02 elapsed, ETA 0:08',
      '  6/20 tickers (30%), 0:03 elapsed, ETA 0:07',
      '  8/20 tickers (40%), 0:04 elapsed, ETA 0:06',
      '  10/20 tickers (50%), 0:05 elapsed, ETA 0:05',
      '  12/20 tickers (60%), 0:06 elapsed, ETA 0:04',
      '  14/20 tickers (70%), 0:07 elapsed, ETA 0:03',
      '  16/20 tickers (80%), 0:08 elapsed, ETA 0:02',
      '  18/20 tickers (90%), 0:09 elapsed, ETA 0:01',
      '  20/20 tickers (100%), 0:10 elapsed',
      'b3lake: extract done in 10.0 s: 20 landed, 0 failed',
      'b3lake: finalize',
      'b3lake: finalize done in 0.9 s',
    ]);
  });

  it('prints every failure on its own line and counts it in the phase summary', () => {
    const { lines, report } = screen(false);
    report({ type: 'phase', phase: 'extract' });
    report(ticker(1, 50, { ok: false, ticker: 'VALE3', error: 'HTTP_ERROR: HTTP 500' } as Partial<ProgressEvent>));
    report(ticker(2, 50, { ok: false, ticker: 'MXRF11', error: 'HTTP_ERROR: HTTP 500' } as Partial<ProgressEvent>));
    report({ type: 'phase-end', phase: 'extract', ms: 1000 });
    expect(lines).toEqual([
      'b3lake: extract',
      '  ✗ VALE3: HTTP_ERROR: HTTP 500',
      '  1/50 tickers (2%), 0:00 elapsed',
      '  ✗ MXRF11: HTTP_ERROR: HTTP 500',
      'b3lake: extract done in 1.0 s: 0 landed, 2 failed',
    ]);
  });

  it('closes a phase with its elapsed time when the next one starts without a phase-end', () => {
    const { lines, report } = screen(false);
    report({ type: 'phase', phase: 'finalize' });
    jest.advanceTimersByTime(1_200);
    report({ type: 'phase', phase: 'ibov' });
    expect(lines).toEqual(['b3lake: finalize', 'b3lake: finalize done in 1.2 s', 'b3lake: ibov']);
  });

  it('leaves warnings to the run summary, which prints them after it', () => {
    const { lines, report } = screen(false);
    report({ type: 'warning', message: "Fundamentus' latest quote is of 2026-11-18" });
    expect(lines).toEqual([]);
  });
});

describe('progressReporter on a terminal', () => {
  it('redraws one bar line with the phase name, elapsed time and ETA', () => {
    const { lines, report, current } = screen(true);
    report({ type: 'phase', phase: 'extract', detail: '1400 tickers' });
    expect(current()).toBe('b3lake: extract (1400 tickers) … 0:00');
    jest.advanceTimersByTime(8_000);
    report(ticker(700, 1400));
    expect(current()).toBe('b3lake: extract [##########..........] 700/1400  87.5/s  0:08 elapsed  ETA 0:08');
    expect(lines).toEqual([]);
  });

  it('draws the dividend pages their own bar and summary, counted apart from the detail pages', () => {
    const { lines, report, current } = screen(true);
    report({ type: 'phase', phase: 'extract', detail: '4 tickers' });
    report(ticker(1, 4, { ok: false, ticker: 'VALE3', error: 'HTTP_ERROR: HTTP 500' } as Partial<ProgressEvent>));
    for (const done of [2, 3, 4]) report(ticker(done, 4));
    report({ type: 'phase-end', phase: 'extract', ms: 2_000 });
    report({ type: 'phase', phase: 'proventos', detail: '2 tickers' });
    expect(current()).toBe('b3lake: proventos (2 tickers) … 0:00');
    jest.advanceTimersByTime(1_000);
    report(ticker(1, 2, { restored: true } as Partial<ProgressEvent>));
    expect(current()).toMatch(/^b3lake: proventos \[#{10}\.{10}\] 1\/2 {2}1\.0\/s {2}0:01 elapsed/);
    report(ticker(2, 2));
    report({ type: 'phase-end', phase: 'proventos', ms: 1_500 });
    expect(lines).toEqual([
      '  ✗ VALE3: HTTP_ERROR: HTTP 500',
      'b3lake: extract done in 2.0 s: 3 landed, 1 failed',
      'b3lake: proventos done in 1.5 s: 2 landed (1 from the archive), 0 failed',
    ]);
  });

  it('keeps the elapsed time moving while no ticker lands', () => {
    const { report, current } = screen(true);
    report({ type: 'phase', phase: 'finalize' });
    jest.advanceTimersByTime(3_000);
    expect(current()).toBe('b3lake: finalize … 0:03');
  });

  it('shows the list and finalize phases by name, then leaves their duration', () => {
    const { lines, report, current } = screen(true);
    report({ type: 'phase', phase: 'list' });
    expect(current()).toBe('b3lake: list … 0:00');
    report({ type: 'phase-end', phase: 'list', ms: 640 });
    report({ type: 'phase', phase: 'finalize' });
    report({ type: 'phase-end', phase: 'finalize', ms: 950 });
    expect(lines).toEqual(['b3lake: list done in 0.6 s', 'b3lake: finalize done in 0.9 s']);
    expect(current()).toBe('');
  });

  it('prints a failure above the bar and draws the bar again', () => {
    const { lines, report, current } = screen(true);
    report({ type: 'phase', phase: 'extract' });
    jest.advanceTimersByTime(1_000);
    report(ticker(1, 4, { ok: false, ticker: 'VALE3', error: 'HTTP_ERROR: HTTP 500' } as Partial<ProgressEvent>));
    expect(lines).toEqual(['  ✗ VALE3: HTTP_ERROR: HTTP 500']);
    expect(current()).toMatch(/^b3lake: extract \[#####\.+\] 1\/4 .* 1 failed$/);
  });

  it('stops redrawing once the phase has ended', () => {
    const { report, writes } = screen(true);
    report({ type: 'phase', phase: 'finalize' });
    report({ type: 'phase-end', phase: 'finalize', ms: 10 });
    const count = writes.length;
    jest.advanceTimersByTime(5_000);
    expect(writes).toHaveLength(count);
  });

  it('redraws at most every 100 ms while tickers land, and always for the last one', () => {
    const { report, writes, current } = screen(true);
    report({ type: 'phase', phase: 'extract' });
    report(ticker(1, 100));
    const before = writes.length;
    for (let done = 2; done <= 99; done++) report(ticker(done, 100));
    expect(writes).toHaveLength(before);
    report(ticker(100, 100));
    expect(current()).toMatch(/ 100\/100 /);
  });

  it('counts tickers restored from the archive apart in the phase summary', () => {
    const { lines, report } = screen(true);
    report({ type: 'phase', phase: 'extract' });
    report(ticker(1, 2, { restored: true } as Partial<ProgressEvent>));
    report(ticker(2, 2));
    report({ type: 'phase-end', phase: 'extract', ms: 2_000 });
    expect(lines).toEqual(['b3lake: extract done in 2.0 s: 2 landed (1 from the archive), 0 failed']);
  });

  it('without phase-end events, prints the other phases as lines and ends the bar with the last ticker', () => {
    const { lines, report, current } = screen(true, { phaseEnds: false });
    report({ type: 'phase', phase: 'list' });
    jest.advanceTimersByTime(700);
    report({ type: 'phase', phase: 'extract' });
    jest.advanceTimersByTime(2_000);
    report(ticker(1, 2));
    report(ticker(2, 2));
    report({ type: 'phase', phase: 'finalize' });
    expect(lines).toEqual([
      'b3lake: list',
      'b3lake: list done in 0.7 s',
      'b3lake: extract done in 2.0 s: 2 landed, 0 failed',
      'b3lake: finalize',
    ]);
    expect(current()).toBe('');
  });

  it('cuts the redrawn line to the terminal width so it never wraps', () => {
    const { report, current } = screen(true, { columns: 40 });
    report({ type: 'phase', phase: 'extract' });
    report(ticker(1, 1400));
    expect(current()).toHaveLength(39);
  });

  it('takes a terminal that reports 0 columns (no size) for 80', () => {
    const { report, current } = screen(true, { columns: 0 });
    report({ type: 'phase', phase: 'extract' });
    report(ticker(1, 1400));
    expect(current().length).toBeGreaterThan(60);
  });
});
