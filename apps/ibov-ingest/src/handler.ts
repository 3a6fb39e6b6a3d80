import { logger, metrics, MetricUnit, runtime, withPowertools } from '@b3lake/aws-runtime';
import { ingestIbov, startRun } from '@b3lake/pipeline';

/** EventBridge Scheduler: B3's IBOV day portfolio → raw table; its S3 event starts the Glue refine. */
export const handler = withPowertools(async (event: { date?: string; index?: string } = {}) => {
  const { ctx } = runtime();
  const run = startRun(ctx.clock, event.date);
  logger.appendKeys({ businessDate: run.businessDate });
  if (run.skipped) return { skipped: true, reason: run.reason };
  const result = await ingestIbov(ctx, run, event.index ?? 'IBOV');
  metrics.addMetric('rowsWritten', MetricUnit.Count, result.rawRows);
  logger.info('ibov ingested', { ...result });
  return result;
});
