import { GetJobRunCommand, StartJobRunCommand, type JobRun } from '@aws-sdk/client-glue';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { table } from '@b3lake/lake';
import type { SmokeContext, StackOutputs } from './context';
import { CheckFailure } from './output';
import { PollTimeout, formatDuration, pollUntil } from './poll';

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED', 'ERROR', 'EXPIRED']);

/** The newest `date=` partition of the raw IBOV table in the SoR bucket, or undefined. */
export async function latestIbovRawDate(ctx: SmokeContext, bucket: string): Promise<string | undefined> {
  const raw = table('ibov_raw');
  const prefix = `${raw.name}/${raw.partitionKeys[0].name}=`;
  let latest: string | undefined;
  let token: string | undefined;
  do {
    const page = await ctx.clients.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }),
    );
    for (const p of page.CommonPrefixes ?? []) {
      const date = /=(\d{4}-\d{2}-\d{2})\/$/.exec(p.Prefix ?? '')?.[1];
      if (date && (!latest || date > latest)) latest = date;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return latest;
}

/** Check 5: one run of the refine job on the latest raw IBOV date reaches SUCCEEDED. */
export async function runRefine(ctx: SmokeContext, outputs: StackOutputs): Promise<string> {
  const { glue } = ctx.clients;
  const jobName = outputs.RefineJobName;
  const date = await latestIbovRawDate(ctx, outputs.BucketSor);
  if (!date) {
    throw new CheckFailure(
      `no raw IBOV portfolio in s3://${outputs.BucketSor}/${table('ibov_raw').name}/ yet`,
      'the IBOV schedule runs weekdays 18:45 BRT; invoke the IbovIngest function once',
    );
  }
  let runId: string | undefined;
  try {
    runId = (await glue.send(new StartJobRunCommand({ JobName: jobName, Arguments: { '--date': date } }))).JobRunId;
  } catch (err) {
    if ((err as Error).name === 'ConcurrentRunsExceededException')
      throw new CheckFailure(
        `${jobName} is already running`,
        'a raw IBOV upload starts the job too; wait for that run to finish and rerun the smoke check',
      );
    throw err;
  }
  if (!runId) throw new CheckFailure(`Glue returned no job run id for ${jobName}`);
  const where = `run ${runId} of ${jobName}: see the job's runs in the Glue console (logs in /aws-glue/jobs)`;
  const start = ctx.clock.now();
  let run: JobRun;
  try {
    run = await pollUntil(
      async () => {
        const { JobRun: r } = await glue.send(new GetJobRunCommand({ JobName: jobName, RunId: runId }));
        return r?.JobRunState && FINAL.has(r.JobRunState) ? r : undefined;
      },
      {
        clock: ctx.clock,
        timeoutMs: ctx.options.timeoutMs,
        intervalMs: ctx.intervals.glueMs,
        what: `Glue run ${runId}`,
      },
    );
  } catch (err) {
    if (err instanceof PollTimeout)
      throw new CheckFailure(err.message, `${where}; the job keeps running (its own timeout is 15 min, 1 retry)`);
    throw err;
  }
  if (run.JobRunState !== 'SUCCEEDED')
    throw new CheckFailure(`${run.JobRunState} for date ${date}: ${run.ErrorMessage ?? 'no error message'}`, where);
  const took = run.ExecutionTime
    ? `${formatDuration(run.ExecutionTime * 1000)} of execution`
    : formatDuration(ctx.clock.now() - start);
  return `run ${runId} for date=${date} SUCCEEDED (${took})`;
}
