import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { logger, metrics, MetricUnit, runtime } from '@b3lake/aws-runtime';
import { extractStep, type ExtractJob } from '@b3lake/pipeline';
import { assertTicker } from '@b3lake/scraper';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

const processor = new BatchProcessor(EventType.SQS);

/** Fetches give up this long before the timeout: a late page must still reach S3 and the partial batch response go out (a timeout retries the whole batch). */
export const SAFETY_MARGIN_MS = 5_000;

/** One ticker per SQS message; a failing ticker is reported alone, never failing its batch. */
async function extractRecord(record: SQSRecord, context?: Context): Promise<void> {
  const job = JSON.parse(record.body) as ExtractJob;
  assertTicker(job.ticker);
  if (process.env['ASSET_KIND'] && job.kind !== process.env['ASSET_KIND'])
    throw new Error(`job for ${job.kind} on the ${process.env['ASSET_KIND']} queue`);
  logger.appendKeys({ ticker: job.ticker, businessDate: job.anomesdia });
  const deadline = context ? Date.now() + context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS : undefined;
  try {
    await extractStep(runtime().ctx, job, { deadline });
    metrics.addMetric('rowsWritten', MetricUnit.Count, 1);
  } catch (error) {
    metrics.addMetric('tickersFailed', MetricUnit.Count, 1);
    logger.warn('extract failed', { error: error as Error });
    throw error;
  } finally {
    logger.removeKeys(['ticker']);
  }
}

export async function handler(event: SQSEvent, context: Context) {
  try {
    return await processPartialResponse(event, extractRecord, processor, { context });
  } finally {
    metrics.publishStoredMetrics();
  }
}
