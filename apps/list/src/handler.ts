import { jobQueues, logger, metrics, MetricUnit, runtime, withPowertools } from '@b3lake/aws-runtime';
import { listStep, startRun } from '@b3lake/pipeline';

/** EventBridge Scheduler, weekdays 18:45 America/Sao_Paulo: list both markets, one SQS job per ticker. */
export const handler = withPowertools(async (event: { date?: string } = {}) => {
  const { env, ctx } = runtime();
  const run = startRun(ctx.clock, event.date);
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
