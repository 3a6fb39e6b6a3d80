import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { BatchCreatePartitionCommand, GlueClient } from '@aws-sdk/client-glue';
import { FIXTURES, setTestEnv } from '@b3lake/aws-runtime/testing';
import { countObjects, readPartition, table, writeObject, type TableKey } from '@b3lake/lake';
import { S3Store } from '@b3lake/lake/s3';
import { startS3rver } from '@b3lake/lake/testing';
import { sorRow, sotRow, startRun, systemClock } from '@b3lake/pipeline';
import { parseDetailPage } from '@b3lake/scraper';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from './handler';

const glue = mockClient(GlueClient);
const BUCKETS = { sor: 'b3lake-test-sor', sot: 'b3lake-test-sot', spec: 'b3lake-test-spec' } as const;
const D = 20220524;
const day = { anomesdia_exec: D };
let s3rver: Awaited<ReturnType<typeof startS3rver>>;
let stores: Record<keyof typeof BUCKETS, S3Store>;

const sor = (ticker: string) =>
  sorRow(
    parseDetailPage(readFileSync(join(FIXTURES, `fundamentus/detalhes_${ticker}.html`))),
    new Date('2022-05-24T21:45:00Z'),
  );
const rowsOf = (key: TableKey) => readPartition(stores[table(key).layer as keyof typeof BUCKETS], table(key), day);

beforeAll(async () => {
  s3rver = await startS3rver(Object.values(BUCKETS));
  const client = new S3Client({
    endpoint: s3rver.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  stores = {
    sor: new S3Store(BUCKETS.sor, { client }),
    sot: new S3Store(BUCKETS.sot, { client }),
    spec: new S3Store(BUCKETS.spec, { client }),
  };
}, 30_000);
afterAll(() => s3rver?.stop());

beforeEach(() => {
  glue.reset().on(BatchCreatePartitionCommand).resolves({});
  // The runtime reaches s3rver the way the offline tests do: endpoint and path style from the environment.
  setTestEnv({
    AWS_ENDPOINT_URL_S3: s3rver.endpoint,
    B3LAKE_S3_FORCE_PATH_STYLE: 'true',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
});

describe('finalize handler: resolve the business date', () => {
  it('returns the trading day, or skipped with the reason', async () => {
    expect(await handler({ resolve: true, date: '2026-11-27' })).toEqual({
      skipped: false,
      businessDate: '2026-11-27',
      anomesdia: 20261127,
    });
    expect(await handler({ resolve: true, date: '2026-11-28' })).toEqual({
      skipped: true,
      businessDate: '2026-11-28',
      reason: expect.stringMatching(/^2026-11-28 is not a B3 trading day/),
    });
  });

  it('defaults to today in America/Sao_Paulo when the date is null or absent', async () => {
    const today = startRun(systemClock);
    expect(await handler({ resolve: true, date: null })).toEqual(today);
    expect(await handler({ resolve: true })).toEqual(today);
  });

  it('rejects a malformed date with InvalidDateError', async () => {
    await expect(handler({ resolve: true, date: '2026-02-30' })).rejects.toMatchObject({
      name: 'InvalidDateError',
      message: expect.stringMatching(/Invalid date "2026-02-30"/),
    });
  });
});

describe('finalize handler: finalize tables', () => {
  it('as the state machine calls it: every landed SoR ticker reaches SoT and Spec; lags are repaired', async () => {
    for (const t of ['PETR4', 'VALE3']) await writeObject(stores.sor, table('sor_acoes'), day, t, [sor(t)]);
    await writeObject(stores.sor, table('sor_fiis'), day, 'HGLG11', [sor('HGLG11')]);
    // prepare ran for PETR4 only before finalize.
    await writeObject(stores.sot, table('sot_acoes'), day, 'PETR4', [sotRow('acao', sor('PETR4'))]);

    const [acoes, fiis] = await Promise.all([
      handler({ anomesdia: D, tables: ['sor_acoes', 'sot_acoes'] }),
      handler({ anomesdia: D, tables: ['sor_fiis', 'sot_fiis'] }),
    ]);
    const last = await handler({
      anomesdia: D,
      tables: ['spec_cotacoes', 'raw_pages', 'summary_acoes', 'summary_fiis'],
    });

    expect(acoes).toEqual({
      anomesdia: D,
      tables: [
        { table: table('sor_acoes').name, rows: 2, objectsBefore: 2, objectsAfter: 1 },
        { table: table('sot_acoes').name, rows: 2, objectsBefore: 1, objectsAfter: 1, repaired: 1 },
      ],
    });
    expect(fiis.tables[1]).toMatchObject({ rows: 1, repaired: 1 });
    expect(last.tables[0]).toEqual({
      table: table('spec_cotacoes').name,
      rows: 3,
      objectsBefore: 0,
      objectsAfter: 1,
      repaired: 3,
    });
    expect(last.tables.slice(1).map((t) => t.rows)).toEqual([0, 0, 0]);
    expect((await rowsOf('spec_cotacoes')).map((r) => r['codigo_ticker_ativo'])).toEqual(['HGLG11', 'PETR4', 'VALE3']);
    expect(await countObjects(stores.sot, table('sot_acoes'), day)).toBe(1);
    // Only partitions reach Glue: tables and databases are CloudFormation's.
    expect(glue.calls().every((c) => c.args[0] instanceof BatchCreatePartitionCommand)).toBe(true);
    expect(
      glue
        .commandCalls(BatchCreatePartitionCommand)
        .map((c) => c.args[0].input.TableName)
        .sort(),
    ).toEqual(
      (['sor_acoes', 'sot_acoes', 'sor_fiis', 'sot_fiis', 'spec_cotacoes'] as const).map((k) => table(k).name).sort(),
    );
  }, 30_000);

  it('rejects a missing or malformed anomesdia and unknown tables before any work', async () => {
    await expect(handler({} as never)).rejects.toMatchObject({
      name: 'InvalidEventError',
      message: expect.stringMatching(/needs anomesdia/),
    });
    await expect(handler({ anomesdia: 20261131 })).rejects.toMatchObject({ name: 'InvalidDateError' });
    await expect(handler({ anomesdia: '20261127' as never })).rejects.toMatchObject({ name: 'InvalidDateError' });
    await expect(handler({ anomesdia: D, tables: ['ibov_raw'] })).rejects.toMatchObject({
      name: 'InvalidEventError',
      message: expect.stringMatching(/"ibov_raw"/),
    });
    expect(glue.calls()).toHaveLength(0);
  });
});
