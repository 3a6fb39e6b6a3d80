import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { FixedWidthRecordError } from '../fixed-width/mapping';
import { BufferPool } from './buffer-pool';
import { DuckDbWriterError } from './writer-error';
import type { BatchMessage, FixedWidthJob, ResultMessage } from './fixed-width-worker';
import { CHUNK_ROWS, VectorDecoder, type DecodedChunk } from './vector-decoder';

/** Batches posted and not yet taken by the worker: beyond this, posting waits (memory stays flat). */
const MAX_IN_FLIGHT = 4;
/**
 * With this many batches waiting for the worker, this thread decodes the next one itself rather
 * than wait idle: the worker's thread then only copies memory, and its cores write parquet.
 */
const DECODE_HERE_FROM = 2;

type Final = Extract<ResultMessage, { done: unknown } | { failed: unknown }>;

/**
 * The worker's script: the bundled one beside a bundle (the CLI's build emits
 * fixed-width-worker.cjs next to main.cjs), else this folder's TypeScript, run through tsx.
 */
function workerScript(): { file: string; execArgv?: string[] } {
  const bundled = join(__dirname, 'fixed-width-worker.cjs');
  if (existsSync(bundled)) return { file: bundled }; // the parent's flags, as a worker gets by default
  const source = join(__dirname, 'fixed-width-worker.ts');
  // The parent's own flags may load tsx as an ESM hook, which a worker does not take for a .ts entry.
  if (existsSync(source)) return { file: source, execArgv: ['--require', require.resolve('tsx/cjs')] };
  throw new DuckDbWriterError(
    `its worker script is missing: no fixed-width-worker.cjs beside ${__dirname} ` +
      '(a bundle must emit it, as tools/build/build-cli.mjs does)',
  );
}

/**
 * The DuckDB worker of one write, from the main thread: batches of records posted with
 * backpressure (at most MAX_IN_FLIGHT waiting), some decoded here when the worker has enough to
 * do, buffers reused as the worker hands them back, and its result or error at the end.
 */
export class WorkerFeed {
  private readonly channel = new MessageChannel();
  private readonly posted = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker: Worker;
  private readonly pool = new BufferPool();
  private readonly decoder: VectorDecoder;
  private readonly finished: Promise<void>;
  private inFlight = 0;
  private wake?: () => void;
  private final?: Final;

  constructor(private readonly job: Omit<FixedWidthJob, 'port' | 'posted'>) {
    this.decoder = new VectorDecoder(job.columns, CHUNK_ROWS, (bytes) => this.pool.take(bytes));
    const script = workerScript();
    this.worker = new Worker(script.file, {
      ...(script.execArgv && { execArgv: script.execArgv }),
      workerData: { ...job, port: this.channel.port2, posted: this.posted.buffer } satisfies FixedWidthJob,
      transferList: [this.channel.port2],
    });
    this.finished = new Promise<void>((resolve) => {
      const settle = (result: Final) => {
        this.final ??= result;
        this.wake?.();
        resolve();
      };
      this.worker.on('message', (message: ResultMessage) => {
        if ('consumed' in message) {
          this.inFlight -= message.consumed;
          this.wake?.();
        } else if ('recycle' in message) this.pool.give(message.recycle);
        else settle(message);
      });
      this.worker.on('error', (error) => settle({ failed: { message: error.message } }));
      this.worker.on('exit', (code) => settle({ failed: { message: `its worker stopped (exit code ${code})` } }));
    });
  }

  /** True once the worker has finished or failed: posting more is useless. */
  get settled(): boolean {
    return this.final !== undefined;
  }

  /** A buffer for a batch of `records` records (one the worker handed back, when there is one). */
  batch(records: number): Uint8Array {
    return new Uint8Array(this.pool.take(records * this.job.recordLength));
  }

  /** Posts `count` records of a batch() buffer (handed over); resolves once the worker has room for more. */
  async post(records: Uint8Array, count: number, first: number): Promise<void> {
    if (this.final) return;
    const decoded = this.inFlight >= DECODE_HERE_FROM ? this.decodeHere(records, count, first) : undefined;
    if (decoded) {
      this.send(
        { decoded },
        decoded.map((chunk) => chunk.buffer),
      );
      this.pool.give([records.buffer as ArrayBuffer]);
    } else {
      const buffer = records.buffer as ArrayBuffer;
      this.send({ records: buffer, count, first }, [buffer]);
    }
    this.inFlight++;
    while (this.inFlight >= MAX_IN_FLIGHT && !this.final) await new Promise<void>((resolve) => (this.wake = resolve));
  }

  /** No more records: the row count of each statement, or the worker's error. */
  end(): Promise<number[]> {
    if (!this.final) this.send({ end: true });
    return this.result();
  }

  /** Stops the worker (the records cannot be read to the end); resolves once it has stopped. */
  async abort(): Promise<void> {
    if (!this.final) this.send({ abort: true });
    await this.result().catch(() => undefined);
  }

  /** The records decoded into chunks; undefined when one is wrong (the worker then finds it, in order). */
  private decodeHere(records: Uint8Array, count: number, first: number): DecodedChunk[] | undefined {
    const { recordLength } = this.job;
    const chunks: DecodedChunk[] = [];
    try {
      for (let at = 0; at < count; at += CHUNK_ROWS) {
        const rows = Math.min(CHUNK_ROWS, count - at);
        chunks.push(this.decoder.decode(records, at * recordLength, recordLength, rows, first + at, true));
      }
    } catch (error) {
      if (!(error instanceof FixedWidthRecordError)) throw error;
      this.pool.give(chunks.map((chunk) => chunk.buffer));
      return undefined;
    }
    return chunks;
  }

  private send(message: BatchMessage, transfer: ArrayBuffer[] = []): void {
    this.channel.port1.postMessage(message, transfer);
    Atomics.add(this.posted, 0, 1);
    Atomics.notify(this.posted, 0);
  }

  private async result(): Promise<number[]> {
    await this.finished;
    await this.worker.terminate();
    this.channel.port1.close();
    const final = this.final;
    if (final && 'done' in final) return final.done;
    const failed = final?.failed ?? { message: 'no result' };
    if ('record' in failed) throw new FixedWidthRecordError(failed.record, failed.column, failed.reason);
    if ('aborted' in failed) throw new DuckDbWriterError('stopped');
    throw new DuckDbWriterError(failed.message);
  }
}
