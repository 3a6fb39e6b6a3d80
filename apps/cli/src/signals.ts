import { setMaxListeners } from 'node:events';
import { EXIT } from './exit-codes';
import type { Io } from './io';

/**
 * SIGINT/SIGTERM stop a long command cleanly: the returned signal aborts, nothing new starts,
 * requests in flight are aborted (every file write is atomic: no partial file). A second
 * Ctrl-C quits at once, saying `kept` (what is safe on disk).
 */
export function stopOnSignals(io: Io, kept: string): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  // Every request in flight listens to this one signal: more than Node's default of 10 is expected.
  setMaxListeners(0, controller.signal);
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      io.err(`b3lake: stopped at once; ${kept}`);
      process.exit(EXIT.INTERRUPTED);
    }
    io.err(`b3lake: ${name}: stopping — nothing new starts, writes in progress finish (Ctrl-C again to quit now)`);
    controller.abort(new Error(`stopped by ${name}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
