import { GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { captureOutput, setTestEnv } from '@b3lake/aws-runtime/testing';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from './handler';

const glue = mockClient(GlueClient);
const event = (...keys: string[]) =>
  ({ Records: keys.map((key) => ({ s3: { object: { key } } })) }) as unknown as S3Event;
const context = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs });
const busy = Object.assign(new Error('Concurrent runs exceeded'), { name: 'ConcurrentRunsExceededException' });

describe('start-refine-job handler', () => {
  it('starts one Glue job run per raw portfolio date in the event', async () => {
    setTestEnv({ GLUE_JOB_NAME: 'b3lake-test-ibov-refine' });
    glue.reset().on(StartJobRunCommand).resolves({ JobRunId: 'jr_1' });
    const result = await handler(
      event(
        'tbsor_b3_carteira_ibov_raw/date%3D2022-05-24/part-0a.parquet',
        'tbsor_b3_carteira_ibov_raw/date%3D2022-05-24/part-0b.parquet',
        'other/x.parquet',
      ),
      context(300_000),
    );
    expect(result).toEqual({ runs: [{ date: '2022-05-24', jobRunId: 'jr_1' }] });
    expect(glue.commandCalls(StartJobRunCommand)[0].args[0].input).toEqual({
      JobName: 'b3lake-test-ibov-refine',
      Arguments: { '--date': '2022-05-24' },
    });
  });

  it('job busy, too little time to wait: fails with a retryable error so the async invocation retries', async () => {
    setTestEnv({ GLUE_JOB_NAME: 'b3lake-test-ibov-refine' });
    glue.reset().on(StartJobRunCommand).rejects(busy);
    const started = Date.now();
    await expect(
      handler(event('tbsor_b3_carteira_ibov_raw/date=2022-05-24/p.parquet'), context(20_000)),
    ).rejects.toMatchObject({ name: 'RefineJobBusyError', retryable: true });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('says what is missing when the job name is not configured', async () => {
    setTestEnv({ GLUE_JOB_NAME: '' });
    await expect(
      handler(event('tbsor_b3_carteira_ibov_raw/date=2022-05-24/p.parquet'), context(300_000)),
    ).rejects.toThrow(/GLUE_JOB_NAME is not set/);
  });

  it('resets the business date between invocations: a warm container does not log the previous date', async () => {
    setTestEnv({ GLUE_JOB_NAME: 'b3lake-test-ibov-refine' });
    glue.reset().on(StartJobRunCommand).resolves({ JobRunId: 'jr_1' });
    const out = captureOutput();
    try {
      await handler(event('tbsor_b3_carteira_ibov_raw/date%3D2022-05-24/part-0a.parquet'), context(300_000));
      await handler(event('other/x.parquet'), context(300_000));
    } finally {
      out.restore();
    }
    const started = out.lines().filter((l) => l['message'] === 'refine jobs started');
    expect(started.map((l) => [l['businessDate'], (l['runs'] as unknown[]).length])).toEqual([
      ['2022-05-24', 1],
      [undefined, 0],
    ]);
  });

  it('flushes its metrics also when it fails: the run started before the job got busy is counted', async () => {
    setTestEnv({ GLUE_JOB_NAME: 'b3lake-test-ibov-refine' });
    glue
      .reset()
      .on(StartJobRunCommand, { Arguments: { '--date': '2022-05-24' } })
      .resolves({ JobRunId: 'jr_1' })
      .on(StartJobRunCommand, { Arguments: { '--date': '2022-05-25' } })
      .rejects(busy);
    const out = captureOutput();
    try {
      await expect(
        handler(
          event(
            'tbsor_b3_carteira_ibov_raw/date=2022-05-24/p.parquet',
            'tbsor_b3_carteira_ibov_raw/date=2022-05-25/p.parquet',
          ),
          context(20_000),
        ),
      ).rejects.toMatchObject({ name: 'RefineJobBusyError' });
    } finally {
      out.restore();
    }
    expect(out.lines().filter((l) => '_aws' in l && 'refineJobsStarted' in l)).toEqual([
      expect.objectContaining({ refineJobsStarted: 1 }),
    ]);
  });
});
