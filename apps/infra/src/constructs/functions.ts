import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EventType, type Bucket } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { SnsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAILY_TABLES, byLayer, sourcesOf, table, tablesWrittenBy, type Layer, type TableKey } from '@b3lake/lake';
import type { Alerts } from './alerts';
import type { BucketRole } from './storage';

export const WORKSPACE = join(__dirname, '..', '..', '..', '..');

interface StepSpec {
  app: string;
  /** Why this size and time limit (kept next to the numbers). */
  memoryMb: number;
  timeout: Duration;
  /** /tmp beyond Lambda's default 512 MB. */
  ephemeralStorageMb?: number;
  environment?: Record<string, string>;
  /** Invoked asynchronously (S3 notifications): failures after Lambda's two retries go to the alerts topic. */
  async?: boolean;
}

/**
 * Extract sizing. Politeness: 2 queues × maxConcurrency 2 = at most 4 extract instances, each
 * spacing its requests to one host by 1,000 ms → at most 4 requests/s to fundamentus, the local
 * default (concurrency 2 per instance only lets a slow response overlap the next request).
 * Timeout: a batch of 10 at 1 request/s takes ~10–15 s; one slow ticker's worst case (4 attempts
 * × 10 s + backoff ≈ 50 s) runs beside the others in the second HTTP slot. The handler bounds
 * every request by the remaining time, so a stalled ticker fails alone before the timeout.
 */
export const EXTRACT = {
  timeout: Duration.seconds(90),
  batchSize: 10,
  maxConcurrency: 2,
  environment: { HTTP_CONCURRENCY: '2', HTTP_MIN_INTERVAL_MS: '1000' },
};

/**
 * The weekly dividend pages (proventos.php, fii_proventos.php): ~1,400 requests to the same host as
 * extract, so they must not add to extract's rate. Two things keep them apart:
 * - time: the run starts at 22:00 (constructs/proventos.ts), when extract is idle — a day's ~1,400
 *   detail pages drain minutes after 18:45, and the finalize workflow stops waiting for them at
 *   21:30 at the latest (19:00 + its 2.5 h bound);
 * - limits: extract's own settings, per instance and per event source — batches of 10, HTTP
 *   concurrency 2, 1,000 ms between requests to one host, maxConcurrency 2 — on one queue (stocks
 *   and FIIs together), so at most 2 instances, 2 requests/s: half extract's 4. Even an extraction
 *   still running at 22:00 (a DLQ redrive) and this run together stay below 6 requests/s, never
 *   double extract's budget. A full market takes ~12 minutes.
 * Timeout and visibility as extract's (a batch of 10 at 1 request/s; the handler keeps a margin).
 */
export const PROVENTOS = {
  timeout: EXTRACT.timeout,
  batchSize: EXTRACT.batchSize,
  maxConcurrency: EXTRACT.maxConcurrency,
  environment: { ...EXTRACT.environment },
};

/** Landing prefix of the archived dividend pages (`fundamentus-proventos/anomesdia_exec=D/<kind>/<TICKER>.html.gz`). */
export const PROVENTOS_LANDING = 'fundamentus-proventos/*';

/** Landing prefix of the archived COTAHIST zips (`cotahist/ano=2021/COTAHIST_A2021.ZIP`). */
export const COTAHIST_LANDING = 'cotahist/*';

/**
 * COTAHIST sizing, measured with this function's own bundle in the cloud-in-a-box
 * (`nx run cloud-box:cotahist-sizing`: the year's zip streamed from a B3 stand-in to S3, then
 * read back from S3 and written by the hyparquet writer), on a 2-core development machine:
 * - 1,000,400 records (247 MB of text, a 36 MB zip): load 28–43 s, peak memory 450–570 MB;
 * - 3,050,000 records (753 MB of text, a 110 MB zip; larger than B3's largest year, ~89 MB):
 *   load 86 s, peak memory 585 MB, /tmp at most 110 MB (the spooled zip; then 56 MB of parquet).
 * Memory stays flat whatever the year (row groups of 100,000 rows), so 2,048 MB is not for
 * memory (3.5× the peak) but for CPU: the load is single-threaded JavaScript and Lambda gives one
 * full vCPU from 1,769 MB (zlib and the GC get the rest). Timeout: Lambda's maximum, 15 min, is
 * ~10× the largest year here — room for arm64 cores slower than this machine's and for B3
 * serving a 90 MB zip slowly; a daily file takes seconds. /tmp: 1,024 MB, 9× the peak, so a
 * killed invocation's leftovers in a reused environment still leave room. Politeness: one
 * download at a time per instance, 1 s apart (the backfill runs at most two years at once).
 */
export const COTAHIST = {
  memoryMb: 2048,
  timeout: Duration.minutes(15),
  ephemeralStorageMb: 1024,
  environment: { HTTP_CONCURRENCY: '1', HTTP_MIN_INTERVAL_MS: '1000' },
};

/**
 * The Lambda functions (one per pipeline step), the ticker queues with their DLQs, and the S3
 * notifications that chain extract → prepare → specialize.
 */
export class Functions extends Construct {
  readonly fn: Record<
    | 'list'
    | 'extractAcoes'
    | 'extractFiis'
    | 'prepare'
    | 'specialize'
    | 'finalize'
    | 'ibovIngest'
    | 'startRefineJob'
    | 'cotahist'
    | 'proventos',
    NodejsFunction
  >;
  readonly queues: { acoes: Queue; fiis: Queue; acoesDlq: Queue; fiisDlq: Queue };

  constructor(
    scope: Construct,
    id: string,
    props: { stage: string; buckets: Record<BucketRole, Bucket>; glueJobName: string; alerts: Alerts },
  ) {
    super(scope, id);
    const b = props.buckets;
    const environment = {
      B3LAKE_STAGE: props.stage,
      BUCKET_LANDING: b.landing.bucketName,
      BUCKET_SOR: b.sor.bucketName,
      BUCKET_SOT: b.sot.bucketName,
      BUCKET_SPEC: b.spec.bucketName,
      BUCKET_REFINED: b.refined.bucketName,
      POWERTOOLS_METRICS_NAMESPACE: 'b3lake',
      NODE_OPTIONS: '--enable-source-maps',
      B3LAKE_VERSION: workspaceVersion(),
    };
    const make = (name: string, spec: StepSpec): NodejsFunction => {
      const logGroup = new LogGroup(this, `${name}Logs`, {
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      return new NodejsFunction(this, name, {
        entry: join(WORKSPACE, 'apps', spec.app, 'src', 'handler.ts'),
        handler: 'handler',
        projectRoot: WORKSPACE,
        depsLockFilePath: join(WORKSPACE, 'package-lock.json'),
        runtime: Runtime.NODEJS_24_X,
        architecture: Architecture.ARM_64,
        memorySize: spec.memoryMb,
        timeout: spec.timeout,
        ...(spec.ephemeralStorageMb ? { ephemeralStorageSize: Size.mebibytes(spec.ephemeralStorageMb) } : {}),
        tracing: Tracing.ACTIVE,
        logGroup,
        ...(spec.async
          ? { retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new SnsDestination(props.alerts.topic) }
          : {}),
        environment: { ...environment, POWERTOOLS_SERVICE_NAME: `b3lake-${spec.app}`, ...spec.environment },
        bundling: {
          minify: true,
          // Class names survive minification: errors report e.g. CotahistIncompleteError, not "Ws".
          keepNames: true,
          sourceMap: true,
          format: OutputFormat.CJS,
          target: 'node24',
          tsconfig: join(WORKSPACE, 'tsconfig.base.json'),
          // The Node.js 24 runtime ships AWS SDK v3; DuckDB is never imported by Lambda code.
          externalModules: ['@aws-sdk/*', '@duckdb/node-api', '@duckdb/node-bindings'],
        },
      });
    };

    const dlq = (name: string) =>
      new Queue(this, name, {
        retentionPeriod: Duration.days(14),
        enforceSSL: true,
        encryption: QueueEncryption.SQS_MANAGED,
      });
    const extractTimeout = EXTRACT.timeout;
    // Visibility ≥ 6 × the consumer's timeout, as AWS recommends for Lambda event sources.
    const queue = (name: string, deadLetterQueue: Queue) =>
      new Queue(this, name, {
        visibilityTimeout: Duration.seconds(extractTimeout.toSeconds() * 6),
        enforceSSL: true,
        encryption: QueueEncryption.SQS_MANAGED,
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 3 },
      });
    const acoesDlq = dlq('AcoesDlq');
    const fiisDlq = dlq('FiisDlq');
    this.queues = { acoes: queue('AcoesQueue', acoesDlq), fiis: queue('FiisQueue', fiisDlq), acoesDlq, fiisDlq };
    for (const [name, q] of [
      ['Acoes', acoesDlq],
      ['Fiis', fiisDlq],
    ] as const) {
      const alarm = new Alarm(this, `${name}DlqAlarm`, {
        alarmDescription: `b3lake ${props.stage}: ${name} tickers dead-lettered; see README "Redrive the DLQ"`,
        metric: q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      props.alerts.notifyOn(alarm);
    }

    this.fn = {
      // Two listing pages and ~1,400 SQS messages in batches of 10: seconds; 2 min leaves room for retries.
      list: make('List', {
        app: 'list',
        memoryMb: 512,
        timeout: Duration.minutes(2),
        environment: { QUEUE_ACOES_URL: this.queues.acoes.queueUrl, QUEUE_FIIS_URL: this.queues.fiis.queueUrl },
      }),
      // See EXTRACT for the timeout and politeness arithmetic; parsing needs little memory.
      extractAcoes: make('ExtractAcoes', {
        app: 'extract',
        memoryMb: 512,
        timeout: extractTimeout,
        environment: { ASSET_KIND: 'acoes', ...EXTRACT.environment },
      }),
      extractFiis: make('ExtractFiis', {
        app: 'extract',
        memoryMb: 512,
        timeout: extractTimeout,
        environment: { ASSET_KIND: 'fiis', ...EXTRACT.environment },
      }),
      // One small parquet object in, one out.
      prepare: make('Prepare', { app: 'prepare', memoryMb: 256, timeout: Duration.seconds(30), async: true }),
      specialize: make('Specialize', { app: 'specialize', memoryMb: 256, timeout: Duration.seconds(30), async: true }),
      // Reads ~1,400 one-row objects per table and writes one; 1 GB gives the CPU to do it in well under a minute.
      finalize: make('Finalize', { app: 'finalize', memoryMb: 1024, timeout: Duration.minutes(5) }),
      // One B3 request and one object.
      ibovIngest: make('IbovIngest', { app: 'ibov-ingest', memoryMb: 256, timeout: Duration.seconds(60) }),
      // One Glue API call; while a run of the job is active it waits and retries (max one run at a time).
      startRefineJob: make('StartRefineJob', {
        app: 'start-refine-job',
        memoryMb: 128,
        timeout: Duration.minutes(5),
        environment: { GLUE_JOB_NAME: props.glueJobName },
        async: true,
      }),
      // See COTAHIST for the sizing; scheduled runs are asynchronous (failures after two retries alert).
      cotahist: make('Cotahist', { app: 'cotahist', ...COTAHIST, async: true }),
      // One dividend page per ticker, as extract's one detail page: its sizing and politeness (PROVENTOS).
      proventos: make('Proventos', {
        app: 'proventos',
        memoryMb: 512,
        timeout: PROVENTOS.timeout,
        environment: PROVENTOS.environment,
      }),
    };

    for (const [fn, q] of [
      [this.fn.extractAcoes, this.queues.acoes],
      [this.fn.extractFiis, this.queues.fiis],
    ] as const) {
      // reportBatchItemFailures: one bad ticker is retried alone, never its whole batch.
      fn.addEventSource(
        new SqsEventSource(q, {
          batchSize: EXTRACT.batchSize,
          maxBatchingWindow: Duration.seconds(5),
          reportBatchItemFailures: true,
          maxConcurrency: EXTRACT.maxConcurrency,
        }),
      );
    }
    this.notifications(b);
    this.grants(b);
  }

  /**
   * SoR written → prepare; SoT written → specialize; raw IBOV written → start the Glue refine.
   * No step writes where it is triggered.
   */
  private notifications(b: Record<BucketRole, Bucket>): void {
    const on = (bucket: Bucket, fn: NodejsFunction, key: TableKey) =>
      bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(fn), {
        prefix: `${table(key).name}/`,
        suffix: '.parquet',
      });
    for (const key of sourcesOf(tablesWrittenBy('prepare'))) on(b[table(key).layer], this.fn.prepare, key);
    for (const key of sourcesOf(tablesWrittenBy('specialize'))) on(b[table(key).layer], this.fn.specialize, key);
    for (const key of sourcesOf(tablesWrittenBy('ibov-refine'))) on(b[table(key).layer], this.fn.startRefineJob, key);
  }

  /** Least privilege: each function reads and writes only the table prefixes its step touches. */
  private grants(b: Record<BucketRole, Bucket>): void {
    const prefix = (key: TableKey) => `${table(key).name}/*`;
    const write = (fn: NodejsFunction, layer: Layer, pattern: string) => b[layer].grantPut(fn, pattern);
    const readWrite = (fn: NodejsFunction, layer: Layer, key: TableKey) => {
      b[layer].grantReadWrite(fn, prefix(key));
      b[layer].grantDelete(fn, prefix(key));
    };
    const f = this.fn;
    write(f.list, 'landing', 'fundamentus/*');
    for (const key of tablesWrittenBy('list')) readWrite(f.list, table(key).layer, key);
    this.queues.acoes.grantSendMessages(f.list);
    this.queues.fiis.grantSendMessages(f.list);
    for (const fn of [f.extractAcoes, f.extractFiis]) {
      write(fn, 'landing', 'fundamentus/*');
      for (const key of tablesWrittenBy('extract')) write(fn, table(key).layer, prefix(key));
    }
    for (const key of sourcesOf(tablesWrittenBy('prepare'))) b[table(key).layer].grantRead(f.prepare, prefix(key));
    // prepare and specialize also list their target partition: a late event finds it finalized and
    // stops, and a write that raced finalize's compaction is deleted again (no stray duplicate row).
    for (const key of tablesWrittenBy('prepare')) {
      write(f.prepare, table(key).layer, prefix(key));
      b[table(key).layer].grantRead(f.prepare, prefix(key));
      b[table(key).layer].grantDelete(f.prepare, prefix(key));
      b[table(key).layer].grantRead(f.specialize, prefix(key));
    }
    for (const key of tablesWrittenBy('specialize')) {
      write(f.specialize, table(key).layer, prefix(key));
      b[table(key).layer].grantRead(f.specialize, prefix(key));
      b[table(key).layer].grantDelete(f.specialize, prefix(key));
    }
    for (const key of byLayer(DAILY_TABLES)) readWrite(f.finalize, table(key).layer, key);
    // The workflow's last step writes the finalized day's row in the run manifest.
    for (const key of tablesWrittenBy('record-run')) write(f.finalize, table(key).layer, prefix(key));
    write(f.ibovIngest, 'landing', 'b3/*');
    for (const key of tablesWrittenBy('ibov-ingest')) readWrite(f.ibovIngest, table(key).layer, key);
    // COTAHIST zips are archived verbatim and read back to load them; the history tables and their
    // ledger are rewritten per file (a year's annual file replaces its daily files).
    write(f.cotahist, 'landing', COTAHIST_LANDING);
    b.landing.grantRead(f.cotahist, COTAHIST_LANDING);
    for (const key of tablesWrittenBy('cotahist')) readWrite(f.cotahist, table(key).layer, key);
  }
}

/** The version the run manifest records: the workspace's package.json at synth time. */
function workspaceVersion(): string {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as { version: string };
  return manifest.version;
}
