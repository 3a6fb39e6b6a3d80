import type { Layer } from '@b3lake/lake';

/** Settings a Lambda reads from its environment (set by apps/infra). */
export interface RuntimeEnv {
  buckets: Record<Layer, string>;
  queues: { acoes?: string; fiis?: string };
  fundamentusUrl?: string;
  b3Url?: string;
  httpConcurrency: number;
  minIntervalMs: number;
  glueJobName?: string;
  /** Deployment stage (Glue names get a suffix outside prod). */
  stage?: string;
}

const LAYERS: Layer[] = ['landing', 'sor', 'sot', 'spec', 'refined'];

/** Reads and checks the environment; a missing bucket is a deployment error with a clear message. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  const buckets = {} as Record<Layer, string>;
  for (const layer of LAYERS) {
    const value = env[`BUCKET_${layer.toUpperCase()}`];
    if (!value) throw new Error(`Environment variable BUCKET_${layer.toUpperCase()} is not set (it is set by apps/infra)`);
    buckets[layer] = value;
  }
  return {
    buckets,
    queues: { acoes: env['QUEUE_ACOES_URL'], fiis: env['QUEUE_FIIS_URL'] },
    fundamentusUrl: env['FUNDAMENTUS_URL'] || undefined,
    b3Url: env['B3_URL'] || undefined,
    httpConcurrency: Number(env['HTTP_CONCURRENCY'] ?? 2),
    minIntervalMs: Number(env['HTTP_MIN_INTERVAL_MS'] ?? 250),
    glueJobName: env['GLUE_JOB_NAME'] || undefined,
    stage: env['B3LAKE_STAGE'] || undefined,
  };
}
