/**
 * @b3lake/aws-runtime — what every Lambda entry point shares: the environment, the AWS adapters
 * behind the pipeline's ports, Powertools (logger, metrics, tracer, their middy middleware, parser schemas).
 */
export { readEnv, MissingEnvError, InvalidEnvError, PROVENTOS_QUEUE_VARIABLE } from './lib/env';
export type { RuntimeEnv } from './lib/env';
export { awsContext, jobQueues } from './lib/context';
export { runtime, resetRuntime } from './lib/lazy';
export { logger, metrics, tracer, MetricUnit } from './lib/observability';
export { withPowertools } from './lib/middleware';
export type { LambdaEntry } from './lib/middleware';
export { ExtractJobSchema, ExtractJobBody, InvalidJobError, parseExtractJob, parseOrThrow } from './lib/schemas';
export { startRefineJob, dateFromRawKey, RefineJobBusyError } from './lib/refine-job';
export type { StartRefineOptions, StartJobRun } from './lib/refine-job';
export { runForObjects } from './lib/s3-steps';
export {
  runCotahist,
  parseCotahistEvent,
  CotahistEventSchema,
  InvalidCotahistEventError,
  RetryableError,
  CotahistFileError,
} from './lib/cotahist';
export type { CotahistRequest, CotahistRunResult, CotahistRunStatus } from './lib/cotahist';
export {
  enqueueProventos,
  parseListEvent,
  proventosQueue,
  reportProventos,
  ListEventSchema,
  InvalidListEventError,
} from './lib/proventos';
export type { ListRequest, ProventosEnqueueResult } from './lib/proventos';
