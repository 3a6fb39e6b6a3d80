/** Time source of the pollers; specs pass a fake one whose sleep only advances `now`. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A poll that did not see its condition before the deadline. */
export class PollTimeout extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super(`${what}: still waiting after ${formatDuration(timeoutMs)}`);
    this.name = 'PollTimeout';
  }
}

export interface PollOptions {
  clock: Clock;
  timeoutMs: number;
  intervalMs: number;
  /** What is awaited, for the timeout message. */
  what: string;
}

/**
 * Calls `probe` until it returns a value (not undefined), sleeping `intervalMs` between calls;
 * throws PollTimeout once `timeoutMs` has passed. Errors thrown by `probe` end the poll.
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const { clock, timeoutMs, intervalMs } = options;
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    const left = deadline - clock.now();
    if (left <= 0) throw new PollTimeout(options.what, timeoutMs);
    await clock.sleep(Math.max(1, Math.min(intervalMs, left)));
  }
}

/** `850 ms`, `42 s`, `3 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const rest = s % 60;
  return rest ? `${Math.floor(s / 60)} min ${rest} s` : `${s / 60} min`;
}
