import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { LakeError } from '../errors';
import { FixedWidthRecordError } from '../fixed-width/mapping';
import type { BatchMessage, FixedWidthJob, ResultMessage } from './fixed-width-worker';

/** Batches posted and not yet taken by the worker: beyond this, posting waits (memory stays flat). */
const MAX_IN_FLIGHT = 4;

/** The worker's side of a fixed-width write, from the main thread. */
export interface WorkerFeed {
  /** Posts `count` records (the buffer is handed over); resolves once the worker has room for more. */
  post(records: Uint8Array, count: number, first: number): Promise<void>;
  /** No more records: the row count of each statement, or the worker's error. */
  end(): Promise<number[]>;
  /** Stops the worker (the records cannot be read to the end); resolves once it has stopped. */
  abort(): Promise<void>;
  /** True once the worker has finished or failed: posting more is useless. */
  readonly settled: boolean;
}

/** A DuckDB error or a worker that stopped without a result. */
export class DuckDbWriterError extends LakeError {
  readonly code = 'DUCKDB_WRITER';
  constructor(message: string) {
    super(`DuckDB could not write the parquet files: ${message}`);
    this.name = 'DuckDbWriterError';
  }
}

/**
 * The worker's script: the bundled one beside a bundle (the CLI's build emits
 * fixed-width-worker.cjs next to main.cjs), else this folder's TypeScript, run through tsx.
 */
function workerScript(): { file: string; execArgv: string[] } {
  const bundled = join(__dirname, 'fixed-width-worker.cjs');
  if (existsSync(bundled)) return { file: bundled, execArgv: [] };
  const source = join(__dirname, 'fixed-width-worker.ts');
  if (existsSync(source)) return { file: source, execArgv: ['--require', require.resolve('tsx/cjs')] };
  throw new DuckDbWriterError(
    `its worker script is missing: no fixed-width-worker.cjs beside ${__dirname} ` +
      '(a bundle must emit it, as tools/build/build-cli.mjs does)',
  );
}

/** Starts the worker for `job` (its ports added here). */
export function startWorker(job: Omit<FixedWidthJob, 'port' | 'posted'>): WorkerFeed {
  const channel = new MessageChannel();
  const posted = new SharedArrayBuffer(4);
  const counter = new Int32Array(posted);
  const script = workerScript();
  const worker = new Worker(script.file, {
    execArgv: script.execArgv,
    workerData: { ...job, port: channel.port2, posted } satisfies FixedWidthJob,
    transferList: [channel.port2],
  });
  let inFlight = 0;
  let wake: (() => void) | undefined;
  let final: Extract<ResultMessage, { done: unknown } | { failed: unknown }> | undefined;
  const finished = new Promise<void>((resolve) => {
    const settle = (result: typeof final) => {
      final ??= result;
      wake?.();
      resolve();
    };
    worker.on('message', (message: ResultMessage) => {
      if ('consumed' in message) {
        inFlight -= message.consumed;
        wake?.();
      } else settle(message);
    });
    worker.on('error', (error) => settle({ failed: { message: error.message } }));
    worker.on('exit', (code) => settle({ failed: { message: `its worker stopped (exit code ${code})` } }));
  });
  const send = (message: BatchMessage, transfer: ArrayBuffer[] = []) => {
    channel.port1.postMessage(message, transfer);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
  };
  const result = async (): Promise<number[]> => {
    await finished;
    await worker.terminate();
    channel.port1.close();
    if (final && 'done' in final) return final.done;
    const failed = final?.failed ?? { message: 'no result' };
    if ('record' in failed) throw new FixedWidthRecordError(failed.record, failed.column, failed.reason);
    if ('aborted' in failed) throw new DuckDbWriterError('stopped');
    throw new DuckDbWriterError(failed.message);
  };
  return {
    get settled() {
      return final !== undefined;
    },
    async post(records, count, first) {
      if (final) return;
      const buffer = records.buffer as ArrayBuffer;
      send({ records: buffer, count, first }, [buffer]);
      inFlight++;
      while (inFlight >= MAX_IN_FLIGHT && !final) await new Promise<void>((resolve) => (wake = resolve));
    },
    end() {
      if (!final) send({ end: true });
      return result();
    },
    async abort() {
      if (!final) send({ abort: true });
      await result().catch(() => undefined);
    },
  };
}
