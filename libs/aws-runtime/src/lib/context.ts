import { S3Client } from '@aws-sdk/client-s3';
import type { Layer, ObjectStore, SqlEngine, TableDef } from '@b3lake/lake';
import { GlueCatalog } from '@b3lake/lake/glue';
import { S3Store } from '@b3lake/lake/s3';
import { SqsQueue } from '@b3lake/lake/sqs';
import { systemClock, type ExtractJob, type JobQueue, type PipelineContext } from '@b3lake/pipeline';
import { B3Client, FundamentusClient, HttpClient } from '@b3lake/scraper';
import type { RuntimeEnv } from './env';

/** On AWS the IBOV refine runs in the Glue job, never in a Lambda. */
const NO_SQL: SqlEngine = {
  transform: () => Promise.reject(new Error('SQL transformations run in the Glue job on AWS, not in Lambda')),
};

/** The pipeline's ports on AWS: S3 per layer, the Glue catalog, the sites through one polite HTTP client. */
export function awsContext(env: RuntimeEnv, clients: { s3?: S3Client } = {}): PipelineContext {
  const s3 = clients.s3 ?? new S3Client({});
  const stores = new Map<Layer, ObjectStore>();
  const http = new HttpClient({ concurrency: env.httpConcurrency, minIntervalMs: env.minIntervalMs, timeoutMs: 10_000 });
  return {
    stores: (layer) => {
      let store = stores.get(layer);
      if (!store) stores.set(layer, (store = new S3Store(env.buckets[layer], { client: s3 })));
      return store;
    },
    catalog: new GlueCatalog((def: TableDef) => `s3://${env.buckets[def.layer]}/${def.name}/`, { stage: env.stage }),
    sql: NO_SQL,
    clock: systemClock,
    fundamentus: new FundamentusClient({ baseUrl: env.fundamentusUrl, http }),
    b3: new B3Client({ baseUrl: env.b3Url, http }),
  };
}

/** Routes each job to the queue of its kind (one SQS queue per kind). */
export function jobQueues(env: RuntimeEnv): JobQueue {
  const queue = (url: string | undefined, kind: string) => {
    if (!url) throw new Error(`Environment variable QUEUE_${kind.toUpperCase()}_URL is not set`);
    return new SqsQueue<ExtractJob>(url);
  };
  return {
    send: async (jobs) => {
      const acoes = jobs.filter((j) => j.kind === 'acoes');
      const fiis = jobs.filter((j) => j.kind === 'fiis');
      if (acoes.length) await queue(env.queues.acoes, 'acoes').send(acoes);
      if (fiis.length) await queue(env.queues.fiis, 'fiis').send(fiis);
    },
  };
}
