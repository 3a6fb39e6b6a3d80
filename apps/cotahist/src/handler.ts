import {
  logger,
  metrics,
  MetricUnit,
  parseCotahistEvent,
  runCotahist,
  runtime,
  withPowertools,
} from '@b3lake/aws-runtime';

/**
 * B3's COTAHIST files into the history tables. EventBridge Scheduler, weekdays 20:30 and 22:30
 * America/Sao_Paulo, sends `{}`: today's daily file (weekends and B3 holidays skipped; the second
 * run finds the first one's work in the ledger). The backfill state machine sends `{ year }`, one
 * annual file per Map iteration; an operator may send `{ file }` or `{ date }`, with `force`.
 * A file B3 has not published yet is a warning and a metric, not a failure.
 */
export const handler = withPowertools(async (event: unknown) => {
  const request = parseCotahistEvent(event);
  const result = await runCotahist(runtime().ctx, request);
  logger.appendKeys({ file: result.file, businessDate: result.businessDate });
  if (result.status === 'not-published') {
    metrics.addMetric('cotahistNotPublished', MetricUnit.Count, 1);
    logger.warn('COTAHIST file not published yet', { reason: result.reason });
  } else {
    metrics.addMetric('cotahistQuotesLoaded', MetricUnit.Count, result.status === 'loaded' ? result.quotes : 0);
    logger.info(`COTAHIST ${result.status}`, { ...result });
  }
  return result;
});
