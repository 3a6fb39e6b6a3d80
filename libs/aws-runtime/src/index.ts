/**
 * @b3lake/aws-runtime — what every Lambda entry point shares: the environment, the AWS adapters
 * behind the pipeline's ports, Powertools logger and metrics.
 */
export { readEnv } from './lib/env';
export type { RuntimeEnv } from './lib/env';
export { awsContext, jobQueues } from './lib/context';
export { runtime, resetRuntime } from './lib/lazy';
export { logger, metrics, MetricUnit } from './lib/observability';
export { startRefineJob, dateFromRawKey, RefineJobBusyError } from './lib/refine-job';
export type { StartRefineOptions, StartJobRun } from './lib/refine-job';
export { runForObjects } from './lib/s3-steps';
