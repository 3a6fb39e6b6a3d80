import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { logger, metrics, MetricUnit, parseExtractJob, runtime, withPowertools } from '@b3lake/aws-runtime';
import { extractStep, type ExtractJob } from '@b3lake/pipeline';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

const processor = new BatchProcessor(EventType.SQS);

/**
 * Fetches give up this long before the timeout: a late page must still reach S3 and the partial
 * batch response go out (a timeout retries the whole batch).
 */
export const SAFETY_MARGIN_MS = 5_000;

/**
 * One ticker per SQS message; a failing ticker, or a body that is not a job (InvalidJobError),
 * is reported alone, never failing its batch. Records run concurrently: the ticker goes in each
 * log line, not in the logger's shared keys.
 */
async function extractRecord(record: SQSRecord, context?: Partial<Context>): Promise<void> {
  let job: ExtractJob | undefined;
  try {
    job = parseExtractJob(record.body, process.env['ASSET_KIND']);
    const remaining = context?.getRemainingTimeInMillis?.();
    const deadline = remaining === undefined ? undefined : Date.now() + remaining - SAFETY_MARGIN_MS;
    await extractStep(runtime().ctx, job, { deadline });
    metrics.addMetric('rowsWritten', MetricUnit.Count, 1);
  } catch (error) {
    metrics.addMetric('tickersFailed', MetricUnit.Count, 1);
    logger.warn('extract failed', {
      messageId: record.messageId,
      ...(job ? { ticker: job.ticker, businessDate: job.anomesdia } : {}),
      error: error as Error,
    });
    throw error;
  }
}

export const handler = withPowertools((event: SQSEvent, context: Context) =>
  processPartialResponse(event, extractRecord, processor, { context }),
);
