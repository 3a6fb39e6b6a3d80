import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { serveFixtures, setTestEnv } from '@b3lake/aws-runtime/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from './handler';

const s3 = mockClient(S3Client);
const sqs = mockClient(SQSClient);
let site: Awaited<ReturnType<typeof serveFixtures>>;

beforeAll(async () => (site = await serveFixtures()));
afterAll(() => site.stop());
beforeEach(() => {
  s3.reset()
    .on(PutObjectCommand)
    .resolves({})
    .on(ListObjectsV2Command)
    .resolves({ Contents: [] })
    .on(DeleteObjectsCommand)
    .resolves({});
  sqs.reset().on(SendMessageBatchCommand).resolves({ Failed: [] });
  setTestEnv({ FUNDAMENTUS_URL: site.url });
});

describe('list handler', () => {
  it('writes the summary tables and sends one job per ticker to the queue of its kind', async () => {
    expect(await handler({ date: '2022-05-24' })).toEqual({
      businessDate: '2022-05-24',
      anomesdia: 20220524,
      listed: { acoes: 4, fiis: 2 },
    });
    const sent = sqs
      .commandCalls(SendMessageBatchCommand)
      .map((c) => [c.args[0].input.QueueUrl, c.args[0].input.Entries?.map((e) => JSON.parse(e.MessageBody!).ticker)]);
    expect(sent).toEqual([
      ['https://sqs.test/acoes', ['ITUB4', 'PETR4', 'TAEE11', 'VALE3']],
      ['https://sqs.test/fiis', ['HGLG11', 'MXRF11']],
    ]);
    const keys = s3.commandCalls(PutObjectCommand).map((c) => `${c.args[0].input.Bucket}/${c.args[0].input.Key}`);
    expect(keys).toContainEqual(
      expect.stringMatching(
        /^b3lake-test-sot\/tbsot_fundamentus_resumo_acoes\/anomesdia_exec=20220524\/part-[0-9a-f]+\.parquet$/,
      ),
    );
    expect(keys).toContainEqual('b3lake-test-landing/fundamentus/anomesdia_exec=20220524/listings/resultado.html.gz');
  });

  it('skips weekends and holidays without sending anything', async () => {
    expect(await handler({ date: '2022-04-15' })).toEqual({
      skipped: true,
      reason: '2022-04-15 is not a B3 trading day (Sexta-feira Santa)',
    });
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });
});
