import { GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { RefineJobBusyError, dateFromRawKey, startRefineJob, type StartJobRun } from './refine-job';

const glue = mockClient(GlueClient);
const client = new GlueClient({ region: 'sa-east-1', credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
const startJobRun: StartJobRun = (input) => client.send(new StartJobRunCommand(input));
const busy = Object.assign(new Error('Concurrent runs exceeded for b3lake-dev-ibov-refine'), {
  name: 'ConcurrentRunsExceededException',
});

/** A fake invocation clock: sleeping spends the function's remaining time. */
function invocation(remainingMs: number) {
  const slept: number[] = [];
  return {
    slept,
    remainingMs: () => remainingMs - slept.reduce((a, b) => a + b, 0),
    sleep: async (ms: number) => void slept.push(ms),
  };
}

describe('startRefineJob', () => {
  beforeEach(() => glue.reset());

  it('starts the job with the portfolio date taken from the raw key', async () => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_1' });
    const date = dateFromRawKey('tbsor_b3_carteira_ibov_raw/date%3D2022-05-24/part-0a.parquet');
    expect(date).toBe('2022-05-24');
    expect(await startRefineJob(startJobRun, 'b3lake-dev-ibov-refine', date!)).toBe('jr_1');
    expect(glue.commandCalls(StartJobRunCommand)[0].args[0].input).toEqual({
      JobName: 'b3lake-dev-ibov-refine',
      Arguments: { '--date': '2022-05-24' },
    });
    expect(dateFromRawKey('tbsor_fundamentus_paginas_raw/anomesdia_exec=1/x.parquet')).toBeUndefined();
    await expect(startRefineJob(startJobRun, 'j', 'yesterday')).rejects.toMatchObject({
      code: 'INVALID_DATE',
      message: expect.stringMatching(/Invalid portfolio date "yesterday"/),
    });
    expect(dateFromRawKey('lake/tbsor_b3_carteira_ibov_raw/date=2022-05-24/part-0a.parquet')).toBe('2022-05-24');
    expect(dateFromRawKey('tbsor_b3_carteira_ibov_raw/date=yesterday/part-0a.parquet')).toBeUndefined();
  });

  it('waits while an earlier run is active (15 s, doubling), then starts instead of dropping the trigger', async () => {
    glue.on(StartJobRunCommand).rejectsOnce(busy).rejectsOnce(busy).resolves({ JobRunId: 'jr_2' });
    const clock = invocation(300_000);
    expect(await startRefineJob(startJobRun, 'job', '2022-05-24', clock)).toBe('jr_2');
    expect(clock.slept).toEqual([15_000, 30_000]);
    expect(glue.commandCalls(StartJobRunCommand)).toHaveLength(3);
  });

  it('caps the wait at 60 s; when the invocation would run out of time, throws a typed retryable error', async () => {
    glue.on(StartJobRunCommand).rejects(busy);
    const clock = invocation(200_000);
    const error = await startRefineJob(startJobRun, 'job', '2022-05-24', clock).catch((e: unknown) => e);
    // 200 s: waits 15 + 30 + 60 s (95 s left), then another 60 s would leave 35 s ≥ 10 s margin;
    // a fifth wait would not.
    expect(clock.slept).toEqual([15_000, 30_000, 60_000, 60_000]);
    expect(error).toBeInstanceOf(RefineJobBusyError);
    expect(error).toMatchObject({
      name: 'RefineJobBusyError',
      code: 'REFINE_JOB_BUSY',
      retryable: true,
      date: '2022-05-24',
      attempts: 5,
    });
    expect((error as Error).cause).toBe(busy);
  });

  it('fails at once on other errors, and on a busy job when no remaining time is given', async () => {
    glue
      .on(StartJobRunCommand)
      .rejectsOnce(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }))
      .rejects(busy);
    const clock = invocation(300_000);
    await expect(startRefineJob(startJobRun, 'job', '2022-05-24', clock)).rejects.toThrow('denied');
    await expect(startRefineJob(startJobRun, 'job', '2022-05-24', { sleep: clock.sleep })).rejects.toThrow(
      RefineJobBusyError,
    );
    expect(clock.slept).toEqual([]);
  });
});
