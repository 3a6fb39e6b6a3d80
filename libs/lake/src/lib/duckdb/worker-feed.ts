import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { FixedWidthRecordError } from '../fixed-width/mapping';
import { BufferPool } from './buffer-pool';
import type { BatchMessage, FixedWidthJob, ResultMessage, WorkerSetup } from './fixed-width-worker';
import { CHUNK_ROWS, VectorDecoder, type DecodedChunk } from './vector-decoder';
import { DuckDbWriterError } from './writer-error';

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
 * The DuckDB worker thread of a writer, started at its first write and kept for the next ones
 * (starting a thread and DuckDB costs 0.2–0.5 s, which a backfill of days would pay per day).
 * It does not keep the process alive between writes; a worker that died is started again.
 */
export class WorkerHost {
  private worker?: Worker;
  private channel?: MessageChannel;
  private posted?: Int32Array;
  private nextJob = 1;
  private readonly jobs = new Map<number, WorkerFeed>();
  /** Buffers handed back by the worker, to be filled again (by every job). */
  readonly pool = new BufferPool();

  constructor(
    private readonly setup: Omit<WorkerSetup, 'port' | 'posted'>,
    /** Batches waiting before this thread decodes the next itself (0: always, Infinity: never). */
    readonly decodeHereFrom = DECODE_HERE_FROM,
  ) {}

  /** Starts a job on the worker (starting the worker if needed); its feed posts the records. */
  start(job: Omit<FixedWidthJob, 'id'>): WorkerFeed {
    const worker = this.worker ?? this.spawn();
    const feed = new WorkerFeed({ ...job, id: this.nextJob++ }, this);
    this.jobs.set(feed.job.id, feed);
    worker.ref(); // a write in progress keeps the process alive
    worker.postMessage({ job: feed.job });
    return feed;
  }

  /** Posts a batch message of a job, and wakes the worker if it waits for one. */
  send(message: BatchMessage, transfer: ArrayBuffer[] = []): void {
    if (!this.channel || !this.posted) return;
    this.channel.port1.postMessage(message, transfer);
    Atomics.add(this.posted, 0, 1);
    Atomics.notify(this.posted, 0);
  }

  /** A job is over: forget it, and let the process exit while no other job runs. */
  finished(id: number): void {
    this.jobs.delete(id);
    if (!this.jobs.size) this.worker?.unref();
  }

  /** Stops the worker (a writer that is done). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.channel?.port1.close();
    this.channel = undefined;
    if (worker) await worker.terminate();
  }

  private spawn(): Worker {
    const channel = new MessageChannel();
    const posted = new Int32Array(new SharedArrayBuffer(4));
    const script = workerScript();
    const worker = new Worker(script.file, {
      ...(script.execArgv && { execArgv: script.execArgv }),
      workerData: { ...this.setup, port: channel.port2, posted: posted.buffer } satisfies WorkerSetup,
      transferList: [channel.port2],
    });
    worker.on('message', (message: ResultMessage) => {
      if ('recycle' in message) return this.pool.give(message.recycle);
      this.jobs.get(message.job)?.receive(message);
    });
    const died = (message: string) => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.channel = undefined;
      }
      for (const feed of [...this.jobs.values()]) feed.receive({ job: feed.job.id, failed: { message } });
    };
    worker.on('error', (error) => died(error.message));
    worker.on('exit', (code) => died(`its worker stopped (exit code ${code})`));
    this.worker = worker;
    this.channel = channel;
    this.posted = posted;
    return worker;
  }
}

/**
 * One write's side of the worker, from the main thread: batches of records posted with
 * backpressure (at most MAX_IN_FLIGHT waiting), some decoded here when the worker has enough to
 * do, buffers reused as the worker hands them back, and its result or error at the end.
 */
export class WorkerFeed {
  private readonly decoder: VectorDecoder;
  private readonly finished: Promise<void>;
  private settle!: () => void;
  private inFlight = 0;
  private wake?: () => void;
  private final?: Final;

  constructor(
    readonly job: FixedWidthJob,
    private readonly host: WorkerHost,
  ) {
    this.decoder = new VectorDecoder(job.columns, CHUNK_ROWS, (bytes) => host.pool.take(bytes));
    this.finished = new Promise<void>((resolve) => (this.settle = resolve));
  }

  /** True once the worker has finished or failed: posting more is useless. */
  get settled(): boolean {
    return this.final !== undefined;
  }

  /** What the worker said about this job. */
  receive(message: Extract<ResultMessage, { job: number }>): void {
    if ('consumed' in message) {
      this.inFlight -= message.consumed;
      this.wake?.();
      return;
    }
    this.final ??= message;
    this.wake?.();
    this.settle();
  }

  /** A buffer for a batch of `records` records (one the worker handed back, when there is one). */
  batch(records: number): Uint8Array {
    return new Uint8Array(this.host.pool.take(records * this.job.recordLength));
  }

  /** Posts `count` records of a batch() buffer (handed over); resolves once the worker has room for more. */
  async post(records: Uint8Array, count: number, first: number): Promise<void> {
    if (this.final) return;
    const job = this.job.id;
    const decoded = this.inFlight >= this.host.decodeHereFrom ? this.decodeHere(records, count, first) : undefined;
    if (decoded) {
      this.host.send(
        { job, decoded },
        decoded.map((chunk) => chunk.buffer),
      );
      this.host.pool.give([records.buffer as ArrayBuffer]);
    } else {
      const buffer = records.buffer as ArrayBuffer;
      this.host.send({ job, records: buffer, count, first }, [buffer]);
    }
    this.inFlight++;
    while (this.inFlight >= MAX_IN_FLIGHT && !this.final) await new Promise<void>((resolve) => (this.wake = resolve));
  }

  /** No more records: the row count of each statement, or the worker's error. */
  end(): Promise<number[]> {
    if (!this.final) this.host.send({ job: this.job.id, end: true });
    return this.result();
  }

  /** Stops the job (the records cannot be read to the end); resolves once the worker has stopped it. */
  async abort(): Promise<void> {
    if (!this.final) this.host.send({ job: this.job.id, abort: true });
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
      this.host.pool.give(chunks.map((chunk) => chunk.buffer));
      return undefined;
    }
    return chunks;
  }

  private async result(): Promise<number[]> {
    await this.finished;
    this.host.finished(this.job.id);
    const final = this.final;
    if (final && 'done' in final) return final.done;
    const failed = final && 'failed' in final ? final.failed : { message: 'no result' };
    if ('record' in failed) throw new FixedWidthRecordError(failed.record, failed.column, failed.reason);
    if ('aborted' in failed) throw new DuckDbWriterError('stopped');
    throw new DuckDbWriterError(failed.message);
  }
}
