import type { SQSRecord } from 'aws-lambda';
import type { BoxFunction, InvokeResult } from './lambdas';
import type { BoxQueue, SqsMessage } from './sqs';
import { REGION } from './template';

/** How the box delivers S3 notifications: after a delay (a promise to wait on), sometimes twice. */
export interface DeliveryPolicy {
  /** Awaited before each delivery; resolve later to model a lagging or throttled function. */
  delay(functionName: string, key: string): Promise<void>;
  /** Deliver this event a second time (S3 delivers at least once). */
  duplicate(functionName: string, key: string): boolean;
}

export const prompt: DeliveryPolicy = { delay: async () => undefined, duplicate: () => false };

/**
 * An S3 ObjectCreated record as Lambda receives it (the key form-encoded as S3 sends it: `=` → %3D,
 * space → +, `/` kept).
 */
export function s3Record(bucket: string, key: string, size: number) {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: REGION,
    eventTime: new Date().toISOString(),
    eventName: 'ObjectCreated:Put',
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'box',
      bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
      object: { key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'), size, eTag: '', sequencer: '' },
    },
  };
}

/**
 * Lambda's asynchronous invocation: up to `maxRetries` retries after 1 and 2 minutes (scaled),
 * then the on-failure destination. `pending` counts events not yet finished.
 */
export class AsyncInvoker {
  pending = 0;

  constructor(private readonly timeScale: number) {}

  invoke(
    fn: BoxFunction,
    event: unknown,
    config: { maxRetries: number; onFailure?: (result: InvokeResult, attempts: number) => void },
  ): void {
    this.pending++;
    const attempt = async (n: number): Promise<void> => {
      const result = await fn.invoke(event);
      if (result.ok || n > config.maxRetries) {
        if (!result.ok) config.onFailure?.(result, n);
        this.pending--;
        return;
      }
      setTimeout(() => void attempt(n + 1), 60_000 * n * this.timeScale);
    };
    void attempt(1);
  }
}

/**
 * A Lambda event source mapping on a box queue: polls, batches up to BatchSize (waiting up to the
 * batching window), runs up to MaximumConcurrency batches at once, deletes what succeeded and
 * releases what failed (ReportBatchItemFailures) so it is received again after the visibility timeout.
 */
export class SqsPoller {
  private inFlight = 0;
  private firstSeen = 0;
  private timer?: NodeJS.Timeout;
  readonly batches: { size: number; failed: number; error?: string }[] = [];

  constructor(
    private readonly queue: BoxQueue,
    private readonly fn: BoxFunction,
    private readonly config: {
      batchSize: number;
      windowMs: number;
      maxConcurrency: number;
      reportBatchItemFailures: boolean;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), 25);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  busy(): boolean {
    return this.inFlight > 0;
  }

  private tick(): void {
    while (this.inFlight < this.config.maxConcurrency) {
      const visible = this.queue.visible();
      if (visible === 0) {
        this.firstSeen = 0;
        return;
      }
      this.firstSeen ||= Date.now();
      if (visible < this.config.batchSize && Date.now() - this.firstSeen < this.config.windowMs) return;
      const messages = this.queue.receive(this.config.batchSize);
      if (!messages.length) return;
      this.firstSeen = 0;
      this.inFlight++;
      void this.run(messages).finally(() => this.inFlight--);
    }
  }

  private async run(messages: SqsMessage[]): Promise<void> {
    const records: Partial<SQSRecord>[] = messages.map((m) => ({
      messageId: m.messageId,
      receiptHandle: m.receiptHandle,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt),
        SenderId: 'box',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: this.queue.arn,
      awsRegion: REGION,
    }));
    const result = await this.fn.invoke({ Records: records });
    let failed = new Set<string>();
    if (!result.ok) failed = new Set(messages.map((m) => m.messageId));
    else if (this.config.reportBatchItemFailures) {
      const items = (
        (result.result as { batchItemFailures?: { itemIdentifier: string }[] } | null)?.batchItemFailures ?? []
      ).map((f) => f.itemIdentifier);
      failed = new Set(items);
    }
    this.batches.push({
      size: messages.length,
      failed: failed.size,
      error: result.ok ? undefined : `${result.errorType}: ${result.errorMessage}`,
    });
    for (const m of messages) {
      if (failed.has(m.messageId)) this.queue.release(m);
      else this.queue.delete(m);
    }
  }
}
