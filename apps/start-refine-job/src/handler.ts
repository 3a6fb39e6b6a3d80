import { dateFromRawKey, logger, runtime, startRefineJob } from '@b3lake/aws-runtime';
import type { S3Event } from 'aws-lambda';

/** S3 notification on the raw IBOV table: start the Glue job that runs ibov_refine.sql for that date. */
export async function handler(event: S3Event) {
  const { env } = runtime();
  if (!env.glueJobName) throw new Error('GLUE_JOB_NAME is not set (it is set by apps/infra)');
  const runs: { date: string; jobRunId: string }[] = [];
  for (const date of new Set(event.Records.map((r) => dateFromRawKey(r.s3.object.key)))) {
    if (!date) continue;
    logger.appendKeys({ businessDate: date });
    runs.push({ date, jobRunId: await startRefineJob(env.glueJobName, date) });
  }
  logger.info('refine jobs started', { runs });
  return { runs };
}
