/**
 * Enforces a minimum interval between the starts of requests to the same host. Each caller
 * reserves the next free slot synchronously, so concurrent callers queue in order.
 */
export class HostGate {
  private readonly nextStart = new Map<string, number>();

  constructor(
    private readonly minIntervalMs: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = defaultSleep,
  ) {}

  async wait(host: string): Promise<void> {
    if (this.minIntervalMs <= 0) return;
    const now = this.now();
    const start = Math.max(now, this.nextStart.get(host) ?? 0);
    this.nextStart.set(host, start + this.minIntervalMs);
    if (start > now) await this.sleep(start - now);
  }
}

export function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
