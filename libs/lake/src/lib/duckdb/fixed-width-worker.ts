/**
 * The DuckDB fixed-width writer's worker thread (see fixed-width-duckdb.ts). It owns a DuckDB
 * instance in which a table function, `fixed_width_records()`, hands DuckDB the records the main
 * thread posts, decoded straight into vector memory; each job's COPY statements read it and write
 * parquet. Why a thread: DuckDB calls a table function synchronously and waits for its rows, so
 * the rows must be ready without awaiting anything; here the callback blocks (Atomics.wait) until
 * the main thread, still reading and checking the file, has posted the next batch. The thread
 * and its DuckDB serve one job after another (a backfill of 200 days starts them once).
 */
import duckdb from '@duckdb/node-bindings';
import {
  BIGINT,
  DATE,
  DOUBLE,
  DuckDBInstance,
  DuckDBTableFunction,
  INTEGER,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBDataChunk,
  type DuckDBTableFunctionInfo,
  type DuckDBType,
} from '@duckdb/node-api';
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { FixedWidthRecordError } from '../fixed-width/mapping';
import {
  CHUNK_ROWS,
  VECTOR_WIDTH,
  VectorDecoder,
  type DecodedChunk,
  type VectorColumn,
  type VectorType,
} from './vector-decoder';

/** What the worker is started with (workerData): its DuckDB's settings and where batches arrive. */
export interface WorkerSetup {
  readonly threads: number;
  readonly memoryLimit: string;
  readonly tempDirectory: string;
  /** Where batches arrive (read synchronously, never through a listener). */
  readonly port: MessagePort;
  /** [batches posted]: the main thread counts and notifies each post here, so a wait cannot miss one. */
  readonly posted: SharedArrayBuffer;
}

/** One write, posted to the worker's parentPort as { job }. */
export interface FixedWidthJob {
  /** Tags the job's batches and results: what an earlier, stopped job left in the port is skipped. */
  readonly id: number;
  readonly columns: readonly VectorColumn[];
  readonly recordLength: number;
  /** COPY statements run in order; the first reads `fixed_width_records()`. Each returns its row count. */
  readonly statements: readonly string[];
}

/**
 * What the main thread posts: `count` records of recordLength bytes back to back (`first` is the
 * first one's number), or records it decoded itself while it had time, or the end.
 */
export type BatchMessage = { job: number } & (
  { records: ArrayBuffer; count: number; first: number } | { decoded: DecodedChunk[] } | { end: true } | { abort: true }
);

/**
 * What the worker posts to its parent: { consumed } per batch taken, { recycle } the buffers
 * DuckDB has copied (to be filled again), then { done } or { failed }.
 */
export type ResultMessage =
  | { recycle: ArrayBuffer[] }
  | ({ job: number } & (
      | { consumed: number }
      | { done: number[] }
      | { failed: { record: number; column: string; reason: string } | { aborted: true } | { message: string } }
    ));

const TYPES: Record<VectorType, DuckDBType> = { VARCHAR, INTEGER, BIGINT, DOUBLE, DATE };

class Aborted extends Error {}

/** Rows taken from the port, blocking until the main thread posts some: raw records or decoded chunks. */
class BatchSource {
  private raw?: { bytes: Uint8Array; count: number; first: number };
  private next = 0;
  private decoded: DecodedChunk[] = [];
  private readonly fromMain = new WeakSet<DecodedChunk>();
  private ended = false;

  constructor(
    private readonly job: FixedWidthJob,
    private readonly port: MessagePort,
    private readonly posted: Int32Array,
  ) {}

  /** The next chunk of at most `max` rows, decoded (by `decoder` when it came raw); none at the end. */
  take(max: number, decoder: VectorDecoder): DecodedChunk | undefined {
    while (!this.decoded.length && (!this.raw || this.next >= this.raw.count)) {
      if (this.ended) return undefined;
      const message = this.receive();
      if ('abort' in message) throw new Aborted();
      if ('end' in message) {
        this.ended = true;
        return undefined;
      }
      if ('decoded' in message) {
        this.decoded = message.decoded;
        for (const chunk of message.decoded) this.fromMain.add(chunk);
      } else {
        this.raw = { bytes: new Uint8Array(message.records), count: message.count, first: message.first };
        this.next = 0;
      }
      parentPort?.postMessage({ job: this.job.id, consumed: 1 } satisfies ResultMessage);
    }
    const ready = this.decoded.shift();
    if (ready) return ready;
    const raw = this.raw as NonNullable<typeof this.raw>;
    const count = Math.min(max, raw.count - this.next);
    const offset = this.next * this.job.recordLength;
    this.next += count;
    const chunk = decoder.decode(raw.bytes, offset, this.job.recordLength, count, raw.first + this.next - count);
    if (this.next >= raw.count) recycle([raw.bytes.buffer as ArrayBuffer]);
    return chunk;
  }

  /** True for a chunk the main thread decoded (its buffers go back once copied). */
  arrivedDecoded(chunk: DecodedChunk): boolean {
    return this.fromMain.has(chunk);
  }

  /** The job's next message; an earlier job's leftovers are dropped (their buffers handed back). */
  private receive(): BatchMessage {
    for (;;) {
      const seen = Atomics.load(this.posted, 0);
      const received = receiveMessageOnPort(this.port);
      if (!received) {
        Atomics.wait(this.posted, 0, seen, 1000);
        continue;
      }
      const message = received.message as BatchMessage;
      if (message.job === this.job.id) return message;
      if ('records' in message) recycle([message.records]);
      else if ('decoded' in message) recycle(message.decoded.map((chunk) => chunk.buffer));
    }
  }
}

/** Hands buffers back to the main thread, which fills them again. */
function recycle(buffers: ArrayBuffer[]): void {
  parentPort?.postMessage({ recycle: buffers } satisfies ResultMessage, buffers);
}

/** Fills DuckDB's chunk: one memory copy per column, long texts one by one. */
function fill(output: DuckDBDataChunk, columns: readonly VectorColumn[], chunk: DecodedChunk): void {
  output.rowCount = chunk.rows;
  for (let c = 0; c < columns.length; c++) {
    const vector = duckdb.data_chunk_get_vector(output.chunk, c);
    const bytes = chunk.rows * VECTOR_WIDTH[columns[c].type];
    duckdb.copy_data_to_vector(vector, 0, chunk.buffer, chunk.offsets[c], bytes);
    const validity = chunk.validity[c];
    if (validity !== null) {
      duckdb.vector_ensure_validity_writable(vector);
      duckdb.copy_data_to_vector_validity(vector, 0, chunk.buffer, validity, Math.ceil(chunk.rows / 64) * 8);
    }
  }
  for (const text of chunk.long) {
    duckdb.vector_assign_string_element_len(
      duckdb.data_chunk_get_vector(output.chunk, text.column),
      text.row,
      text.bytes,
    );
  }
}

/** The worker's DuckDB and its one table function, which reads the current job's batches. */
class JobRunner {
  private current?: { job: FixedWidthJob; source: BatchSource; decoder: VectorDecoder; failure?: ResultMessage };
  private connection?: DuckDBConnection;
  private readonly posted: Int32Array;

  constructor(private readonly setup: WorkerSetup) {
    this.posted = new Int32Array(setup.posted);
  }

  async run(job: FixedWidthJob): Promise<ResultMessage> {
    const current = {
      job,
      source: new BatchSource(job, this.setup.port, this.posted),
      decoder: new VectorDecoder(job.columns, CHUNK_ROWS),
    } as NonNullable<typeof this.current>;
    this.current = current;
    try {
      const connection = await this.connect();
      const rows: number[] = [];
      for (const sql of job.statements) {
        const reader = await connection.runAndReadAll(sql);
        rows.push(Number(reader.getRows()[0]?.[0] ?? 0));
      }
      return { job: job.id, done: rows };
    } catch (error) {
      return current.failure ?? { job: job.id, failed: describe(error) };
    } finally {
      this.current = undefined;
    }
  }

  private async connect(): Promise<DuckDBConnection> {
    if (this.connection) return this.connection;
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(this.setup.threads),
      memory_limit: this.setup.memoryLimit,
      // Row groups are written as they fill, not held back to keep the input's order: the order of
      // rows in a file means nothing to the tables, and holding them costs the memory budget.
      preserve_insertion_order: 'false',
      temp_directory: this.setup.tempDirectory,
    });
    const connection = await instance.connect();
    connection.registerTableFunction(
      DuckDBTableFunction.create({
        name: 'fixed_width_records',
        bindFunction: (info) => {
          for (const column of this.current?.job.columns ?? []) info.addResultColumn(column.name, TYPES[column.type]);
        },
        // Several DuckDB threads scan: the calls are serialized on this thread, but one thread
        // writes parquet while another waits for its rows.
        initFunction: (info) => info.setMaxThreads(this.setup.threads),
        localInitFunction: () => undefined,
        mainFunction: (info, output) => this.scan(info, output),
      }),
    );
    this.connection = connection;
    return connection;
  }

  private scan(info: DuckDBTableFunctionInfo, output: DuckDBDataChunk): void {
    const current = this.current;
    try {
      const chunk = !current || current.failure ? undefined : current.source.take(CHUNK_ROWS, current.decoder);
      if (!current || !chunk) {
        output.rowCount = 0;
        return;
      }
      fill(output, current.job.columns, chunk);
      if (current.source.arrivedDecoded(chunk)) recycle([chunk.buffer]);
    } catch (error) {
      if (current) current.failure = { job: current.job.id, failed: describe(error) };
      output.rowCount = 0;
      info.setError(error instanceof Error ? error.message : String(error));
    }
  }
}

function describe(error: unknown): Extract<ResultMessage, { failed: unknown }>['failed'] {
  if (error instanceof Aborted) return { aborted: true };
  if (error instanceof FixedWidthRecordError) {
    return { record: error.record, column: error.column, reason: error.reason };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

const setup = workerData as WorkerSetup | undefined;
if (setup?.port && parentPort) {
  const runner = new JobRunner(setup);
  const port = parentPort;
  // Jobs come one at a time (the writer waits for each result); each is answered with its result.
  port.on('message', (message: { job: FixedWidthJob }) => {
    void runner.run(message.job).then((result) => port.postMessage(result));
  });
}
