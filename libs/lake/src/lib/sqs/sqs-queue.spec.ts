import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { SqsQueue, SqsSendError } from './sqs-queue';

const sqs = mockClient(SQSClient);
const URL = 'https://sqs.sa-east-1.amazonaws.com/123/b3lake-dev-acoes';

describe('SqsQueue', () => {
  beforeEach(() => sqs.reset());

  it('sends JSON messages in batches of 10', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const jobs = Array.from({ length: 23 }, (_, i) => ({ ticker: `T${i}`, kind: 'acoes', anomesdia: 20220524 }));
    await new SqsQueue(URL).send(jobs);
    const batches = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries ?? []);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 3]);
    expect(JSON.parse(batches[2][2].MessageBody!)).toEqual({ ticker: 'T22', kind: 'acoes', anomesdia: 20220524 });
    expect(new Set(batches.flat().map((e) => e.Id)).size).toBe(23);
  });

  it('retries only the entries SQS failed on its side', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }] })
      .resolves({ Failed: [] });
    await new SqsQueue(URL, { baseDelayMs: 1 }).send([{ a: 1 }, { a: 2 }]);
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.map((e) => e.Id));
    expect(calls).toEqual([['0', '1'], ['1']]);
  });

  it('fails at once on a sender fault, and after the last attempt otherwise', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Failed: [{ Id: '0', SenderFault: true, Code: 'InvalidMessageContents' }] });
    await expect(new SqsQueue(URL).send([{ a: 1 }])).rejects.toThrow(SqsSendError);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', SenderFault: false, Code: 'ServiceUnavailable' }] });
    await expect(new SqsQueue(URL, { maxAttempts: 3, baseDelayMs: 1 }).send([{ a: 1 }])).rejects.toThrow(
      /1 message\(s\) not sent: 0 ServiceUnavailable/,
    );
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
  });
});
