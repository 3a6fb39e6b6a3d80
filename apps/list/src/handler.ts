import {
  enqueueProventos,
  jobQueues,
  logger,
  metrics,
  MetricUnit,
  parseListEvent,
  runtime,
  withPowertools,
} from '@b3lake/aws-runtime';
import { listStep, startRun } from '@b3lake/pipeline';

/**
 * EventBridge Scheduler. Weekdays 18:45 America/Sao_Paulo, `{}`: list both markets, one SQS job per
 * ticker. Weekdays 22:00, `{ kind: "proventos", weekly: true }`: on the last trading day of the
 * week, one dividend-page job per ticker of the day's (archived) listings to the proventos queue.
 */
export const handler = withPowertools(async (event: unknown = {}) => {
  const request = parseListEvent(event);
  const { env, ctx } = runtime();
  if (request.kind === 'proventos') {
    const result = await enqueueProventos(ctx, env, request);
    logger.appendKeys({ businessDate: result.businessDate });
    if (result.skipped) logger.info('proventos not due', { reason: result.reason });
    else metrics.addMetric('proventosTickersQueued', MetricUnit.Count, result.queued);
    return result;
  }
  const run = startRun(ctx.clock, request.date);
  logger.appendKeys({ businessDate: run.businessDate });
  if (run.skipped) {
    logger.info('not a trading day', { reason: run.reason });
    return { skipped: true, reason: run.reason };
  }
  const result = await listStep(ctx, run, jobQueues(env), { kinds: ['acoes', 'fiis'] });
  metrics.addMetric('tickersListed', MetricUnit.Count, result.jobs.length);
  logger.info('listed', { listed: result.listed });
  return { businessDate: run.businessDate, anomesdia: run.anomesdia, listed: result.listed };
});
