import { GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import {
  dateFromRawKey,
  logger,
  metrics,
  MetricUnit,
  MissingEnvError,
  runtime,
  startRefineJob,
  withPowertools,
  type StartJobRun,
} from '@b3lake/aws-runtime';
import type { Context, S3Event } from 'aws-lambda';

let glue: GlueClient | undefined;
const startJobRun: StartJobRun = (input) => (glue ??= new GlueClient({})).send(new StartJobRunCommand(input));

/**
 * S3 notification on the raw IBOV table: start the Glue job that runs ibov_refine.sql for that
 * date. While an earlier run is active it waits and retries within this invocation's time.
 */
export const handler = withPowertools(async (event: S3Event, context: Pick<Context, 'getRemainingTimeInMillis'>) => {
  const { env } = runtime();
  if (!env.glueJobName) throw new MissingEnvError('GLUE_JOB_NAME');
  const runs: { date: string; jobRunId: string }[] = [];
  for (const date of new Set(event.Records.map((r) => dateFromRawKey(r.s3.object.key)))) {
    if (!date) continue;
    logger.appendKeys({ businessDate: date });
    const remainingMs = () => context.getRemainingTimeInMillis();
    runs.push({ date, jobRunId: await startRefineJob(startJobRun, env.glueJobName, date, { remainingMs }) });
    metrics.addMetric('refineJobsStarted', MetricUnit.Count, 1);
  }
  logger.info('refine jobs started', { runs });
  return { runs };
});
