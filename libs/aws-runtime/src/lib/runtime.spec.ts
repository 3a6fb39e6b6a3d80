import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { jobQueues } from './context';
import { readEnv } from './env';

const ENV = {
  BUCKET_LANDING: 'l',
  BUCKET_SOR: 'sor',
  BUCKET_SOT: 'sot',
  BUCKET_SPEC: 'spec',
  BUCKET_REFINED: 'ref',
  QUEUE_ACOES_URL: 'https://q/acoes',
  QUEUE_FIIS_URL: 'https://q/fiis',
};

describe('aws runtime', () => {
  it('reads the environment and names what is missing', () => {
    expect(readEnv(ENV)).toMatchObject({
      buckets: { landing: 'l', refined: 'ref' },
      queues: { acoes: 'https://q/acoes' },
      httpConcurrency: 2,
      minIntervalMs: 250,
    });
    expect(() => readEnv({ ...ENV, BUCKET_SOT: '' })).toThrow(/BUCKET_SOT is not set/);
    expect(() => readEnv({ ...ENV, BUCKET_SOT: '' })).toThrow(expect.objectContaining({ code: 'MISSING_ENV' }));
  });

  it('reads the polite-HTTP settings the stack sets, and refuses values that are not integers', () => {
    expect(readEnv({ ...ENV, HTTP_MIN_INTERVAL_MS: '1000', HTTP_CONCURRENCY: '2' })).toMatchObject({
      minIntervalMs: 1000,
      httpConcurrency: 2,
    });
    expect(() => readEnv({ ...ENV, HTTP_MIN_INTERVAL_MS: '1s' })).toThrow(
      /HTTP_MIN_INTERVAL_MS must be an integer ≥ 0, got "1s"/,
    );
    expect(() => readEnv({ ...ENV, HTTP_CONCURRENCY: '0' })).toThrow(/HTTP_CONCURRENCY must be an integer ≥ 1/);
    expect(() => readEnv({ ...ENV, HTTP_CONCURRENCY: '0' })).toThrow(expect.objectContaining({ code: 'INVALID_ENV' }));
  });

  it('routes jobs to the queue of their kind', async () => {
    const sqs = mockClient(SQSClient).on(SendMessageBatchCommand).resolves({ Failed: [] });
    await jobQueues(readEnv(ENV)).send([
      { ticker: 'PETR4', kind: 'acoes', anomesdia: 20220524 },
      { ticker: 'HGLG11', kind: 'fiis', anomesdia: 20220524 },
    ]);
    expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.QueueUrl)).toEqual([
      'https://q/acoes',
      'https://q/fiis',
    ]);
    await expect(
      jobQueues(readEnv({ ...ENV, QUEUE_FIIS_URL: '' })).send([
        { ticker: 'HGLG11', kind: 'fiis', anomesdia: 20220524 },
      ]),
    ).rejects.toMatchObject({ code: 'MISSING_ENV', message: expect.stringMatching(/QUEUE_FIIS_URL is not set/) });
  });
});
