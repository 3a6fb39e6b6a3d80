import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { captureOutput, serveFixtures, setTestEnv } from '@b3lake/aws-runtime/testing';
import type { Context, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { SAFETY_MARGIN_MS, handler } from './handler';

const s3 = mockClient(S3Client);
let site: Awaited<ReturnType<typeof serveFixtures>>;
const record = (id: string, body: unknown) =>
  ({
    messageId: id,
    body: JSON.stringify(body),
    receiptHandle: id,
    attributes: {},
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:sa-east-1:123:acoes',
    awsRegion: 'sa-east-1',
  }) as SQSEvent['Records'][number];
const context = {
  functionName: 'extract',
  awsRequestId: 'r',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

beforeAll(async () => (site = await serveFixtures()));
afterAll(() => site.stop());
beforeEach(() => {
  s3.reset().on(PutObjectCommand).resolves({});
  setTestEnv({ FUNDAMENTUS_URL: site.url, ASSET_KIND: 'acoes' });
});

describe('extract handler', () => {
  it('archives the page, writes the SoR row, and reports only the failing message of the batch', async () => {
    const event: SQSEvent = {
      Records: [
        record('ok-1', { ticker: 'PETR4', kind: 'acoes', anomesdia: 20220524 }),
        record('bad-1', { ticker: 'XXXX99', kind: 'acoes', anomesdia: 20220524 }),
        record('bad-2', { ticker: '../x', kind: 'acoes', anomesdia: 20220524 }),
        record('bad-3', { ticker: 'HGLG11', kind: 'fiis', anomesdia: 20220524 }),
      ],
    };
    const { batchItemFailures } = await handler(event, context);
    expect(batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['bad-1', 'bad-2', 'bad-3']);
    const keys = s3.commandCalls(PutObjectCommand).map((c) => `${c.args[0].input.Bucket}/${c.args[0].input.Key}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'b3lake-test-landing/fundamentus/anomesdia_exec=20220524/acoes/PETR4.html.gz',
        'b3lake-test-sor/tbsor_fundamentus_indicadores_acoes_raw/anomesdia_exec=20220524/PETR4.parquet',
        'b3lake-test-sor/tbsor_fundamentus_paginas_raw/anomesdia_exec=20220524/PETR4.parquet',
      ]),
    );
  });

  it('one stalled ticker fails alone before the timeout: the others land and the batch answers', async () => {
    const stalling = await serveFixtures({ stall: ['VALE3'] });
    try {
      setTestEnv({ FUNDAMENTUS_URL: stalling.url, ASSET_KIND: 'acoes' });
      // 1 s left for fetching once the safety margin is kept back.
      const shortLived = { ...context, getRemainingTimeInMillis: () => SAFETY_MARGIN_MS + 1000 } as Context;
      const started = Date.now();
      const { batchItemFailures } = await handler(
        {
          Records: ['PETR4', 'VALE3', 'ITUB4', 'TAEE11'].map((t) =>
            record(t, { ticker: t, kind: 'acoes', anomesdia: 20220524 }),
          ),
        },
        shortLived,
      );
      expect(Date.now() - started).toBeLessThan(1000 + 1000);
      expect(batchItemFailures).toEqual([{ itemIdentifier: 'VALE3' }]);
      const sor = s3
        .commandCalls(PutObjectCommand)
        .map((c) => c.args[0].input.Key)
        .filter((k) => k?.startsWith('tbsor_fundamentus_indicadores_acoes_raw/'));
      expect(sor.sort()).toEqual(
        ['ITUB4', 'PETR4', 'TAEE11'].map(
          (t) => `tbsor_fundamentus_indicadores_acoes_raw/anomesdia_exec=20220524/${t}.parquet`,
        ),
      );
    } finally {
      await stalling.stop();
    }
  });

  it('a malformed message body fails only its record, with an error naming what is wrong', async () => {
    const out = captureOutput();
    let failures: string[];
    try {
      const { batchItemFailures } = await handler(
        {
          Records: [
            record('ok', { ticker: 'PETR4', kind: 'acoes', anomesdia: 20220524 }),
            { ...record('not-json', {}), body: '{"ticker": "VALE3", ' },
            record('no-date', { ticker: 'VALE3', kind: 'acoes' }),
          ],
        },
        context,
      );
      failures = batchItemFailures.map((f) => f.itemIdentifier).sort();
    } finally {
      out.restore();
    }
    expect(failures).toEqual(['no-date', 'not-json']);
    const warned = out
      .lines()
      .filter((l) => l['message'] === 'extract failed')
      .map((l) => [l['messageId'], (l['error'] as Error).name, (l['error'] as Error).message]);
    expect(warned.sort()).toEqual([
      ['no-date', 'InvalidJobError', 'SQS message body: anomesdia: missing, expected an 8-digit integer yyyymmdd'],
      ['not-json', 'InvalidJobError', 'SQS message body: expected JSON, got "{\\"ticker\\": \\"VALE3\\", "'],
    ]);
    expect(out.lines().filter((l) => '_aws' in l && 'rowsWritten' in l)).toEqual([
      expect.objectContaining({ rowsWritten: 1, tickersFailed: [1, 1] }),
    ]);
  });
});
