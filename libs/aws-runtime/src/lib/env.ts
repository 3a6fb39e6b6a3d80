import type { AssetKind, Layer } from '@b3lake/lake';
import { ASSET_KIND_IDS, LAYERS, PipelineError } from '@b3lake/pipeline';

/** A setting apps/infra provides is absent: a deployment error, never retried. */
export class MissingEnvError extends PipelineError {
  readonly code = 'MISSING_ENV';
  constructor(readonly variable: string) {
    super(`Environment variable ${variable} is not set (it is set by apps/infra)`);
    this.name = 'MissingEnvError';
  }
}

/** A setting whose value cannot be used (e.g. "1s" for a number of milliseconds). */
export class InvalidEnvError extends PipelineError {
  readonly code = 'INVALID_ENV';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidEnvError';
  }
}

/** The variable holding the SQS queue URL of a kind's extract jobs: `QUEUE_ACOES_URL`, `QUEUE_FIIS_URL`. */
export function queueUrlVariable(kind: AssetKind): string {
  return `QUEUE_${kind.toUpperCase()}_URL`;
}

/** The variable holding the SQS queue URL of the weekly dividend-page jobs (both kinds on one queue). */
export const PROVENTOS_QUEUE_VARIABLE = 'QUEUE_PROVENTOS_URL';

/** Settings a Lambda reads from its environment (set by apps/infra). */
export interface RuntimeEnv {
  buckets: Record<Layer, string>;
  /** Queue URL of each kind's extract jobs (only `list` needs them). */
  queues: Partial<Record<AssetKind, string>>;
  /** Queue URL of the dividend-page jobs (only `list` needs it, for its weekly proventos run). */
  proventosQueue?: string;
  fundamentusUrl?: string;
  b3Url?: string;
  /** Folder of B3's COTAHIST zips (default B3's own, `…/InstDados/SerHist/`). */
  cotahistUrl?: string;
  httpConcurrency: number;
  minIntervalMs: number;
  glueJobName?: string;
  /** Deployment stage (Glue names get a suffix outside prod). */
  stage?: string;
  /**
   * Path-style S3 addressing (`endpoint/bucket/key`), for S3-compatible endpoints such as MinIO
   * or s3rver on 127.0.0.1 (set with AWS_ENDPOINT_URL_S3), which have no per-bucket host names.
   */
  s3ForcePathStyle: boolean;
  /**
   * The instant the steps take as "now" at cold start (B3LAKE_NOW, ISO), the clock then running
   * on from it: a past evening replayed against a mirror, as the cloud-in-a-box fires a schedule
   * "on 2022-05-24 at 20:30". Only the business date's clock moves (request signing keeps the real
   * time); the stack never sets it.
   */
  now?: Date;
}

/** Reads and checks the environment; a missing bucket is a deployment error with a clear message. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  const buckets = {} as Record<Layer, string>;
  for (const layer of LAYERS) {
    const value = env[`BUCKET_${layer.toUpperCase()}`];
    if (!value) throw new MissingEnvError(`BUCKET_${layer.toUpperCase()}`);
    buckets[layer] = value;
  }
  return {
    buckets,
    queues: Object.fromEntries(ASSET_KIND_IDS.map((kind) => [kind, env[queueUrlVariable(kind)]])),
    proventosQueue: env[PROVENTOS_QUEUE_VARIABLE] || undefined,
    fundamentusUrl: env['FUNDAMENTUS_URL'] || undefined,
    b3Url: env['B3_URL'] || undefined,
    cotahistUrl: env['COTAHIST_URL'] || undefined,
    httpConcurrency: integer(env, 'HTTP_CONCURRENCY', 2, 1),
    minIntervalMs: integer(env, 'HTTP_MIN_INTERVAL_MS', 250, 0),
    glueJobName: env['GLUE_JOB_NAME'] || undefined,
    stage: env['B3LAKE_STAGE'] || undefined,
    s3ForcePathStyle: env['B3LAKE_S3_FORCE_PATH_STYLE'] === 'true',
    now: instant(env, 'B3LAKE_NOW'),
  };
}

/** An ISO instant setting (`2022-05-24T23:30:00Z`), or undefined when unset. */
function instant(env: NodeJS.ProcessEnv, name: string): Date | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms))
    throw new InvalidEnvError(
      name,
      `Environment variable ${name} must be an ISO instant (2022-05-24T23:30:00Z), got "${text}"`,
    );
  return new Date(ms);
}

/** An integer setting; a typo in the stack (e.g. "1s") fails at cold start instead of disabling the rate limit. */
function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new InvalidEnvError(name, `Environment variable ${name} must be an integer ≥ ${min}, got "${text}"`);
  return value;
}
