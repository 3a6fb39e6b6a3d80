import { tmpdir } from 'node:os';
import type { S3Client } from '@aws-sdk/client-s3';
import type {
  AssetKind,
  Catalog,
  FixedWidthWriter,
  Layer,
  ObjectStore,
  PartitionValues,
  SqlEngine,
  TableDef,
} from '@b3lake/lake';
import {
  ASSET_KIND_IDS,
  PipelineError,
  systemClock,
  type Clock,
  type ExtractJob,
  type JobQueue,
  type PipelineContext,
} from '@b3lake/pipeline';
import { B3Client, CotahistClient, FundamentusClient, HttpClient } from '@b3lake/scraper';
import { MissingEnvError, queueUrlVariable, type RuntimeEnv } from './env';

/** A SQL transformation asked of a Lambda: on AWS the IBOV refine runs in the Glue job. */
export class SqlNotInLambdaError extends PipelineError {
  readonly code = 'SQL_NOT_IN_LAMBDA';
  constructor() {
    super('SQL transformations run in the Glue job on AWS, not in Lambda');
    this.name = 'SqlNotInLambdaError';
  }
}

/** On AWS the IBOV refine runs in the Glue job, never in a Lambda. */
const NO_SQL: SqlEngine = {
  transform: () => Promise.reject(new SqlNotInLambdaError()),
};

/**
 * An adapter loaded on first use: each AWS SDK client costs tens of milliseconds of cold start,
 * and most functions need only one of S3, Glue and SQS.
 */
function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
}

function lazyStore(bucket: string, options: { client?: S3Client; forcePathStyle: boolean }): ObjectStore {
  const config = options.forcePathStyle ? { forcePathStyle: true } : {};
  const store = lazy(
    async () => new (await import('@b3lake/lake/s3')).S3Store(bucket, { client: options.client, config }),
  );
  return {
    location: `s3://${bucket}/`,
    put: async (key, body) => (await store()).put(key, body),
    get: async (key) => (await store()).get(key),
    list: async (prefix) => (await store()).list(prefix),
    delete: async (keys) => (await store()).delete(keys),
    // Streamed: a COTAHIST year (a ~90 MB zip, ~30 MB of parquet) never sits whole in memory.
    putFile: async (key, path) => (await store()).putFile(key, path),
    putStream: async (key, body) => (await store()).putStream(key, body),
    getStream: (key) => ({
      async *[Symbol.asyncIterator]() {
        yield* (await store()).getStream(key);
      },
    }),
  };
}

/**
 * The Glue catalog as the steps see it. `refresh` does nothing: databases and tables have one
 * owner, the CloudFormation stack (a Lambda updating them could revert a deployed definition,
 * and would need glue:CreateTable/UpdateTable). Only `addPartitions` reaches Glue.
 */
function lazyCatalog(env: RuntimeEnv): Catalog {
  const catalog = lazy(
    async () =>
      new (await import('@b3lake/lake/glue')).GlueCatalog(
        (def: TableDef) => `s3://${env.buckets[def.layer]}/${def.name}/`,
        { stage: env.stage },
      ),
  );
  return {
    refresh: async () => undefined,
    addPartitions: async (def: TableDef, partitions: readonly PartitionValues[]) =>
      (await catalog()).addPartitions(def, partitions),
  };
}

/**
 * COTAHIST records → parquet with the pure-JavaScript hyparquet writer (DuckDB's native binary
 * stays out of Lambda bundles), its row groups spooled to temporary files in Lambda's /tmp.
 */
function lazyFixedWidth(): FixedWidthWriter {
  const writer = lazy(
    async () => new (await import('@b3lake/lake')).HyparquetFixedWidthWriter({ scratchDir: tmpdir() }),
  );
  return { write: async (...args) => (await writer()).write(...args) };
}

/**
 * The pipeline's ports on AWS: S3 per layer, the Glue catalog, the sites (Fundamentus, B3's
 * portfolio and COTAHIST files) through one polite HTTP client, the hyparquet fixed-width writer.
 */
export function awsContext(env: RuntimeEnv, clients: { s3?: S3Client } = {}): PipelineContext {
  const stores = new Map<Layer, ObjectStore>();
  const http = new HttpClient({
    concurrency: env.httpConcurrency,
    minIntervalMs: env.minIntervalMs,
    timeoutMs: 10_000,
  });
  return {
    stores: (layer) => {
      let store = stores.get(layer);
      if (!store)
        stores.set(
          layer,
          (store = lazyStore(env.buckets[layer], { client: clients.s3, forcePathStyle: env.s3ForcePathStyle })),
        );
      return store;
    },
    catalog: lazyCatalog(env),
    sql: NO_SQL,
    clock: env.now ? shiftedClock(env.now) : systemClock,
    fundamentus: new FundamentusClient({ baseUrl: env.fundamentusUrl, http }),
    b3: new B3Client({ baseUrl: env.b3Url, http }),
    history: new CotahistClient({ baseUrl: env.cotahistUrl, http }),
    fixedWidth: lazyFixedWidth(),
  };
}

/** A clock that read `start` when it was made and runs on from there (B3LAKE_NOW). */
function shiftedClock(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

/** Routes each job to the queue of its kind (one SQS queue per kind), kinds in ASSET_KINDS order. */
export function jobQueues(env: RuntimeEnv): JobQueue {
  const queue = async (kind: AssetKind) => {
    const url = env.queues[kind];
    if (!url) throw new MissingEnvError(queueUrlVariable(kind));
    return new (await import('@b3lake/lake/sqs')).SqsQueue<ExtractJob>(url);
  };
  return {
    send: async (jobs) => {
      for (const kind of ASSET_KIND_IDS) {
        const batch = jobs.filter((j) => j.kind === kind);
        if (batch.length) await (await queue(kind)).send(batch);
      }
    },
  };
}
