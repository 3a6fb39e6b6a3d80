import type { RunEvent } from '@b3lake/pipeline';
import type { Io } from './io';

/**
 * Progress of a run: a redrawn bar on a terminal, plain lines otherwise (every 10% and every
 * failure), so logs stay readable. Small enough not to warrant a dependency.
 */
export function progressReporter(
  io: Io,
  stderrIsTty: boolean,
  write: (text: string) => void,
): (event: RunEvent) => void {
  let lastDecile = -1;
  const started = Date.now();
  return (event) => {
    if (event.type === 'phase') {
      if (stderrIsTty) write('\r\x1b[2K');
      io.err(`b3lake: ${event.phase}${event.detail ? ` (${event.detail})` : ''}`);
      return;
    }
    const { done, total } = event;
    if (!event.ok) {
      if (stderrIsTty) write('\r\x1b[2K');
      io.err(`  ✗ ${event.ticker}: ${event.error}`);
    }
    if (stderrIsTty) {
      const width = 30;
      const filled = Math.round((done / total) * width);
      const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
      const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
      write(`\r  [${bar}] ${done}/${total} ${event.ticker.padEnd(7)} ${rate.toFixed(1)}/s`);
      if (done === total) write('\n');
    } else {
      const decile = Math.floor((done / total) * 10);
      if (decile !== lastDecile || done === total) {
        lastDecile = decile;
        io.err(`  ${done}/${total} tickers (${Math.round((done / total) * 100)}%)`);
      }
    }
  };
}
