import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { FIXTURES, objectBody, serveFixtures, setTestEnv } from '@b3lake/aws-runtime/testing';
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
    .resolves({})
    .on(GetObjectCommand)
    .rejects(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }));
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

describe('list handler, weekly dividend run ({ kind: "proventos" })', () => {
  const queued = () =>
    sqs
      .commandCalls(SendMessageBatchCommand)
      .flatMap((c) =>
        (c.args[0].input.Entries ?? []).map((e) => [c.args[0].input.QueueUrl, JSON.parse(e.MessageBody!)]),
      );

  it("sends every listed stock and FII to the proventos queue, from the day's archived listings", async () => {
    const archived: Record<string, string> = {
      'fundamentus/anomesdia_exec=20220527/listings/resultado.html.gz': 'resultado.html',
      'fundamentus/anomesdia_exec=20220527/listings/fii_resultado.html.gz': 'fii_resultado.html',
    };
    s3.on(GetObjectCommand).callsFake((input: { Key: string }) =>
      objectBody(gzipSync(readFileSync(join(FIXTURES, 'fundamentus', archived[input.Key])))),
    );
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'summary.parquet', Size: 1 }] });
    // Nothing answers here: the archived listings must be enough.
    setTestEnv({ FUNDAMENTUS_URL: 'http://127.0.0.1:9' });
    expect(await handler({ kind: 'proventos', weekly: true, date: '2022-05-27' })).toEqual({
      kind: 'proventos',
      businessDate: '2022-05-27',
      anomesdia: 20220527,
      listed: { acoes: 4, fiis: 2 },
      queued: 6,
      fromArchive: ['acoes', 'fiis'],
    });
    expect(queued()).toEqual(
      ['ITUB4', 'PETR4', 'TAEE11', 'VALE3', 'HGLG11', 'MXRF11'].map((ticker) => [
        'https://sqs.test/proventos',
        { ticker, kind: ticker.endsWith('11') && ticker !== 'TAEE11' ? 'fiis' : 'acoes', anomesdia: 20220527 },
      ]),
    );
    // The summary tables the 18:45 run wrote stay as they were.
    expect(s3.commandCalls(PutObjectCommand)).toEqual([]);
  });

  it('fetches and archives the listings when the day has none', async () => {
    const result = await handler({ kind: 'proventos', date: '2022-05-24' });
    expect(result).toMatchObject({ businessDate: '2022-05-24', queued: 6, fromArchive: [] });
    expect(queued().every(([url]) => url === 'https://sqs.test/proventos')).toBe(true);
  });

  it('weekly: only on the last trading day of the week; never on a holiday', async () => {
    expect(await handler({ kind: 'proventos', weekly: true, date: '2022-05-24' })).toEqual({
      kind: 'proventos',
      skipped: true,
      businessDate: '2022-05-24',
      reason: '2022-05-24 is not the last trading day of its week (the weekly dividend run)',
    });
    // Good Friday 2022: the Thursday before is the week's last trading day.
    expect(await handler({ kind: 'proventos', weekly: true, date: '2022-04-15' })).toMatchObject({
      skipped: true,
      reason: '2022-04-15 is not a B3 trading day (Sexta-feira Santa)',
    });
    expect(await handler({ kind: 'proventos', weekly: true, date: '2022-04-14' })).toMatchObject({ queued: 6 });
    expect(queued()).toHaveLength(6);
  });

  it('refuses an event it cannot act on, naming the field', async () => {
    await expect(handler({ kind: 'dividends' })).rejects.toThrow(/list event: kind: expected "extract" or "proventos"/);
    await expect(handler({ weekly: true })).rejects.toThrow(/weekly: only with kind "proventos"/);
    expect(queued()).toEqual([]);
  });
});
