import { randomUUID } from 'node:crypto';

export interface SqsMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  receiveCount: number;
  sentAt: number;
  /** Epoch ms from which the message can be received; Infinity while a consumer holds it. */
  visibleAt: number;
}

/**
 * An in-memory SQS queue with the semantics the pipeline relies on: visibility, receive counts
 * and the redrive policy (a message received maxReceiveCount times moves to the DLQ instead of
 * being delivered again). A message held by a running invocation is never redelivered: the
 * template keeps the visibility timeout ≥ 6 × the consumer's timeout (checked when the box loads).
 */
export class BoxQueue {
  readonly messages: SqsMessage[] = [];

  constructor(
    readonly name: string,
    readonly arn: string,
    readonly url: string,
    /** Visibility timeout as the box runs it (the template's, scaled). */
    readonly visibilityMs: number,
    readonly redrive?: { dlq: BoxQueue; maxReceiveCount: number },
  ) {}

  send(body: string): string {
    const messageId = randomUUID();
    this.messages.push({ messageId, receiptHandle: '', body, receiveCount: 0, sentAt: Date.now(), visibleAt: 0 });
    return messageId;
  }

  visible(now = Date.now()): number {
    return this.messages.filter((m) => m.visibleAt <= now).length;
  }

  inFlight(now = Date.now()): number {
    return this.messages.filter((m) => m.visibleAt > now).length;
  }

  /** Up to `max` visible messages, held until deleted or released. */
  receive(max: number, now = Date.now()): SqsMessage[] {
    const out: SqsMessage[] = [];
    for (const message of [...this.messages]) {
      if (out.length >= max) break;
      if (message.visibleAt > now) continue;
      if (this.redrive && message.receiveCount >= this.redrive.maxReceiveCount) {
        this.remove(message);
        this.redrive.dlq.messages.push({ ...message, visibleAt: 0, receiveCount: 0, receiptHandle: '' });
        continue;
      }
      message.receiveCount++;
      message.receiptHandle = randomUUID();
      message.visibleAt = Number.POSITIVE_INFINITY;
      out.push(message);
    }
    return out;
  }

  delete(message: SqsMessage): void {
    this.remove(message);
  }

  /** A failed message becomes visible again when its visibility timeout ends. */
  release(message: SqsMessage, now = Date.now()): void {
    message.visibleAt = now + this.visibilityMs;
  }

  /** Moves every message to `target` (what the console's "Start DLQ redrive" does). */
  moveAllTo(target: BoxQueue): number {
    const moved = this.messages.splice(0);
    for (const m of moved) target.messages.push({ ...m, visibleAt: 0, receiveCount: 0, receiptHandle: '' });
    return moved.length;
  }

  private remove(message: SqsMessage): void {
    const i = this.messages.indexOf(message);
    if (i >= 0) this.messages.splice(i, 1);
  }
}
