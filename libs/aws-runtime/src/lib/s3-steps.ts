import { itemFromObjectKey, type Extracted, type PipelineContext, type StepOutcome } from '@b3lake/pipeline';
import type { S3Event } from 'aws-lambda';
import { runtime } from './lazy';
import { logger, metrics, MetricUnit } from './observability';

/**
 * Runs a per-ticker step for every object of an S3 notification. Keys that are not per-ticker
 * objects (finalize's compacted `part-<hash>` files) are skipped, so finalize never re-triggers
 * prepare or specialize. A step that arrives after finalize reports `skipped: 'finalized'`:
 * finalize derived that ticker already, so it is logged, not failed.
 */
export async function runForObjects(
  event: S3Event,
  step: (ctx: PipelineContext, item: Extracted) => Promise<StepOutcome>,
): Promise<{ rowsWritten: number; skipped: number }> {
  let written = 0;
  let skipped = 0;
  for (const record of event.Records) {
    const item = itemFromObjectKey(record.s3.object.key);
    if (!item) {
      logger.debug('ignored object', { key: record.s3.object.key });
      continue;
    }
    logger.appendKeys({ ticker: item.ticker, businessDate: item.anomesdia });
    const outcome = await step(runtime().ctx, item);
    if (outcome.skipped) {
      logger.info('skipped: the day is already finalized', { key: record.s3.object.key });
      skipped++;
    } else written++;
  }
  metrics.addMetric('rowsWritten', MetricUnit.Count, written);
  if (skipped) metrics.addMetric('stepsSkippedFinalized', MetricUnit.Count, skipped);
  return { rowsWritten: written, skipped };
}
