import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import {
  logger,
  metrics,
  MetricUnit,
  parseExtractJob,
  reportProventos,
  runtime,
  withPowertools,
} from '@b3lake/aws-runtime';
import { proventosStep, type ExtractJob } from '@b3lake/pipeline';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

const processor = new BatchProcessor(EventType.SQS);

/** Fetches give up this long before the timeout, as extract's: the partial batch response must go out. */
export const SAFETY_MARGIN_MS = 5_000;

/**
 * One ticker's dividend page per SQS message (the weekly run's jobs, stocks and FIIs on one queue):
 * fetched, archived, and the ticker's whole history replaced. A failing ticker, or a body that is
 * not a job, is reported alone; its batch goes on. The rows added and removed are logged and counted
 * (reportProventos: a removed row is a changed history, a WARN line).
 */
async function proventosRecord(record: SQSRecord, context?: Partial<Context>): Promise<void> {
  let job: ExtractJob | undefined;
  try {
    job = parseExtractJob(record.body);
    const remaining = context?.getRemainingTimeInMillis?.();
    const deadline = remaining === undefined ? undefined : Date.now() + remaining - SAFETY_MARGIN_MS;
    reportProventos(await proventosStep(runtime().ctx, job, { deadline }), job.anomesdia);
  } catch (error) {
    metrics.addMetric('proventosFailed', MetricUnit.Count, 1);
    logger.warn('proventos failed', {
      messageId: record.messageId,
      ...(job ? { ticker: job.ticker, kind: job.kind, businessDate: job.anomesdia } : {}),
      error: error as Error,
    });
    throw error;
  }
}

export const handler = withPowertools((event: SQSEvent, context: Context) =>
  processPartialResponse(event, proventosRecord, processor, { context }),
);
