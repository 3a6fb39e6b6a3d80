/**
 * Latency a page may take while the run still keeps its pace: several times the few hundred ms
 * a Fundamentus page usually takes, so a slow spell does not starve the host's request slots.
 * Slower pages are outliers for the timeout and the retries, not a reason for more concurrency.
 */
export const SLOW_PAGE_MS = 2000;

/** Requests per second the per-host gate lets out, as printed: 4, 3.3, 0.2. */
const formatRate = (perSecond: number): string => String(Math.round(perSecond * 10) / 10);

/**
 * The most requests in flight that can still speed a run up when the HTTP client spaces the
 * requests to one host by `minIntervalMs`: at most 1000/minInterval requests per second leave,
 * and by Little's law a pace of one every `minIntervalMs` with pages taking `latencyMs` keeps
 * latency/minInterval requests in flight; one more slot covers the request waiting at the gate.
 * Infinite without a minimum interval (nothing but the concurrency limits the pace then).
 */
export function usefulConcurrency(minIntervalMs: number, latencyMs = SLOW_PAGE_MS): number {
  if (minIntervalMs <= 0) return Number.POSITIVE_INFINITY;
  return Math.ceil(latencyMs / minIntervalMs) + 1;
}

/**
 * A one-line warning when `--concurrency` is made useless by `--min-interval`, else undefined.
 *
 * Rule: warn when concurrency > ceil(latency / minInterval) + 1, with latency = SLOW_PAGE_MS
 * (2 s). The extra requests would only queue at the host's gate: the run is no faster, and the
 * user should know that the interval, not the concurrency, sets the pace. The generous latency
 * keeps the warning for settings that cannot help even on a slow day: the defaults (8 requests,
 * 250 ms → up to 9 useful) stay quiet; `--concurrency 16` at 250 ms or 8 at 1000 ms warn.
 */
export function concurrencyWarning(
  concurrency: number,
  minIntervalMs: number,
  latencyMs = SLOW_PAGE_MS,
): string | undefined {
  const useful = usefulConcurrency(minIntervalMs, latencyMs);
  if (concurrency <= useful) return undefined;
  return (
    `--concurrency ${concurrency} is no faster than ${useful}: --min-interval ${minIntervalMs} spaces requests ` +
    `to one host ${minIntervalMs} ms apart (at most ${formatRate(1000 / minIntervalMs)}/s), a pace ${useful} ` +
    `in flight keep even with pages taking ${latencyMs / 1000} s; lower --min-interval to go faster (politely)`
  );
}
