import { itemFromObjectKey, type Extracted, type PipelineContext } from '@b3lake/pipeline';
import type { S3Event } from 'aws-lambda';
import { runtime } from './lazy';
import { logger, metrics, MetricUnit } from './observability';

/**
 * Runs a per-ticker step for every object of an S3 notification. Keys that are not per-ticker
 * objects (finalize's compacted `part-<hash>` files) are skipped, so finalize never re-triggers
 * prepare or specialize.
 */
export async function runForObjects(event: S3Event, step: (ctx: PipelineContext, item: Extracted) => Promise<void>): Promise<{ rowsWritten: number }> {
  let done = 0;
  for (const record of event.Records) {
    const item = itemFromObjectKey(record.s3.object.key);
    if (!item) {
      logger.debug('ignored object', { key: record.s3.object.key });
      continue;
    }
    logger.appendKeys({ ticker: item.ticker, businessDate: item.anomesdia });
    await step(runtime().ctx, item);
    done++;
  }
  metrics.addMetric('rowsWritten', MetricUnit.Count, done);
  metrics.publishStoredMetrics();
  return { rowsWritten: done };
}
