import { logger, metrics, MetricUnit, runtime } from '@b3lake/aws-runtime';
import { itemFromObjectKey, prepareStep } from '@b3lake/pipeline';
import type { S3Event } from 'aws-lambda';

/** S3 notification: SoR object written → SoT row (typed). Compacted objects are ignored, so finalize never re-triggers this. */
export async function handler(event: S3Event) {
  let done = 0;
  for (const record of event.Records) {
    const item = itemFromObjectKey(record.s3.object.key);
    if (!item) {
      logger.debug('ignored object', { key: record.s3.object.key });
      continue;
    }
    logger.appendKeys({ ticker: item.ticker, businessDate: item.anomesdia });
    await prepareStep(runtime().ctx, item);
    done++;
  }
  metrics.addMetric('rowsWritten', MetricUnit.Count, done);
  metrics.publishStoredMetrics();
  return { rowsWritten: done };
}
