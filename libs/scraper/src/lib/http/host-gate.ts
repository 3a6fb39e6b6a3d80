/**
 * Enforces a minimum interval between the starts of requests to the same host, measured from
 * when the previous request actually started (a late timer never lets the next one in early).
 * Callers for one host are served in order.
 */
export class HostGate {
  private readonly lastStart = new Map<string, number>();
  private readonly queue = new Map<string, Promise<void>>();

  constructor(
    private readonly minIntervalMs: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = defaultSleep,
  ) {}

  wait(host: string): Promise<void> {
    if (this.minIntervalMs <= 0) return Promise.resolve();
    const turn = (this.queue.get(host) ?? Promise.resolve()).then(async () => {
      const last = this.lastStart.get(host);
      if (last !== undefined) {
        for (
          let remaining = last + this.minIntervalMs - this.now();
          remaining > 0;
          remaining = last + this.minIntervalMs - this.now()
        ) {
          await this.sleep(remaining);
        }
      }
      this.lastStart.set(host, this.now());
    });
    this.queue.set(host, turn);
    return turn;
  }
}

export function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
