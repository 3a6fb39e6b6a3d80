import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchCreatePartitionCommand, GlueClient } from '@aws-sdk/client-glue';
import { captureOutput, setTestEnv } from '@b3lake/aws-runtime/testing';
import { startS3rver } from '@b3lake/lake/testing';
import { cotahistFile, cotahistHeader, cotahistQuote, zipOf } from '@b3lake/scraper/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from './handler';

const glue = mockClient(GlueClient);
const BUCKETS = ['landing', 'sor', 'sot', 'spec', 'refined'].map((l) => `b3lake-test-${l}`);
const DAY = zipOf([
  {
    name: 'COTAHIST_D24052022.TXT',
    data: cotahistFile([cotahistQuote({ date: '20220524' })]).replace(cotahistHeader(), cotahistHeader('20220524')),
  },
]);
let s3rver: Awaited<ReturnType<typeof startS3rver>>;
let b3: Server;

beforeAll(async () => {
  s3rver = await startS3rver(BUCKETS);
  b3 = createServer((req, res) =>
    req.url?.endsWith('/COTAHIST_D24052022.ZIP') ? res.end(DAY) : res.writeHead(404).end('not found'),
  );
  await new Promise<void>((r) => b3.listen(0, '127.0.0.1', r));
}, 30_000);
afterAll(async () => {
  b3.closeAllConnections();
  await new Promise((r) => b3.close(r));
  await s3rver?.stop();
});

beforeEach(() => {
  glue.reset().on(BatchCreatePartitionCommand).resolves({});
  setTestEnv({
    COTAHIST_URL: `http://127.0.0.1:${(b3.address() as AddressInfo).port}/InstDados/SerHist/`,
    AWS_ENDPOINT_URL_S3: s3rver.endpoint,
    B3LAKE_S3_FORCE_PATH_STYLE: 'true',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
});

describe('cotahist handler', () => {
  it("loads a day's file and registers the year's partition of the three tables", async () => {
    expect(await handler({ date: '2022-05-24' })).toMatchObject({
      status: 'loaded',
      file: 'COTAHIST_D24052022.ZIP',
      quotes: 1,
      spotRows: 1,
    });
    const registered = glue.commandCalls(BatchCreatePartitionCommand).map((c) => c.args[0].input);
    expect(registered.map((i) => [i.TableName, i.PartitionInputList?.[0].Values])).toEqual([
      ['tbsot_b3_cotacoes_historicas', ['2022']],
      ['tbspec_b3_cotacoes_diarias', ['2022']],
      ['tbops_cotahist_arquivos', ['2022']],
    ]);
  }, 30_000);

  it('warns and counts a file B3 has not published, without failing', async () => {
    const out = captureOutput();
    try {
      expect(await handler({ date: '2022-05-25' })).toMatchObject({ status: 'not-published' });
    } finally {
      out.restore();
    }
    const lines = out.lines();
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: 'COTAHIST file not published yet', file: expect.any(String) }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ cotahistNotPublished: 1 }));
  });

  it('fails on an event it cannot act on, naming the field', async () => {
    await expect(handler({ year: 2021, date: '2021-03-26' })).rejects.toThrow(/one of file, year and date/);
    await expect(handler({ file: 'COTAHIST_A2021.TXT' })).rejects.toMatchObject({ code: 'COTAHIST_FILE_NAME' });
  });
});
