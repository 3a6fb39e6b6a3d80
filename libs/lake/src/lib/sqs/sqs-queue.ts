import { LakeError } from '../errors';
import { SQSClient, SendMessageBatchCommand, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';

/**
 * Messages SQS would not take after every attempt. Retryable unless SQS blamed the sender
 * (a malformed entry fails the same way again).
 */
export class SqsSendError extends LakeError {
  readonly code = 'SQS_SEND_FAILED';
  override readonly retryable: boolean;
  constructor(
    readonly queueUrl: string,
    readonly failed: { id: string; code?: string; message?: string }[],
    options: { senderFault: boolean },
  ) {
    super(
      `SQS ${queueUrl}: ${failed.length} message(s) not sent: ${failed
        .slice(0, 5)
        .map((f) => `${f.id} ${f.code ?? ''} ${f.message ?? ''}`.trim())
        .join('; ')}`,
    );
    this.name = 'SqsSendError';
    this.retryable = !options.senderFault;
  }
}

/**
 * Sends JSON messages to one queue in batches of 10 (the SQS maximum). Entries SQS failed on
 * its side are retried with backoff; entries it rejects as malformed fail at once.
 */
export class SqsQueue<T> {
  readonly client: SQSClient;

  constructor(
    readonly queueUrl: string,
    private readonly options: { client?: SQSClient; maxAttempts?: number; baseDelayMs?: number } = {},
  ) {
    this.client = options.client ?? new SQSClient({});
  }

  async send(messages: readonly T[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      await this.sendBatch(
        messages.slice(i, i + 10).map((m, j) => ({ Id: String(i + j), MessageBody: JSON.stringify(m) })),
      );
    }
  }

  private async sendBatch(entries: SendMessageBatchRequestEntry[]): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 4;
    let pending = entries;
    for (let attempt = 1; pending.length; attempt++) {
      const result = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }));
      const failed = result.Failed ?? [];
      const fatal = failed.filter((f) => f.SenderFault);
      if (fatal.length || (failed.length && attempt >= maxAttempts)) {
        throw new SqsSendError(
          this.queueUrl,
          (fatal.length ? fatal : failed).map((f) => ({ id: f.Id ?? '?', code: f.Code, message: f.Message })),
          { senderFault: fatal.length > 0 },
        );
      }
      const retry = new Set(failed.map((f) => f.Id));
      pending = pending.filter((e) => retry.has(e.Id));
      if (pending.length)
        await new Promise((r) => setTimeout(r, (this.options.baseDelayMs ?? 200) * 2 ** (attempt - 1)));
    }
  }
}
