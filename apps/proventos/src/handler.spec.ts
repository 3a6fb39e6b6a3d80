import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchCreatePartitionCommand, GlueClient } from '@aws-sdk/client-glue';
import { captureOutput, objectBody, serveFixtures, setTestEnv } from '@b3lake/aws-runtime/testing';
import { decodeParquet, encodeParquet, table } from '@b3lake/lake';
import type { Context, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from './handler';

const s3 = mockClient(S3Client);
const glue = mockClient(GlueClient);
const PROVENTOS = table('proventos');
let site: Awaited<ReturnType<typeof serveFixtures>>;
/** The buckets as S3 holds them: `bucket/key` → bytes. */
let objects: Map<string, Uint8Array>;

const record = (id: string, body: unknown) =>
  ({
    messageId: id,
    body: JSON.stringify(body),
    receiptHandle: id,
    attributes: {},
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:sa-east-1:123:proventos',
    awsRegion: 'sa-east-1',
  }) as SQSEvent['Records'][number];
const context = {
  functionName: 'proventos',
  awsRequestId: 'r',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;
const WEGE3 = { ticker: 'WEGE3', kind: 'acoes', anomesdia: 20220527 };
const HGLG11 = { ticker: 'HGLG11', kind: 'fiis', anomesdia: 20220527 };
const historyKey = (ticker: string) => `b3lake-test-sot/tbsot_fundamentus_proventos/ticker=${ticker}/proventos.parquet`;

/** Runs the handler on these records with its output captured: the batch response, log lines and metrics. */
async function invoke(records: SQSEvent['Records']) {
  const out = captureOutput();
  try {
    const response = await handler({ Records: records }, context);
    return { failures: response.batchItemFailures.map((f) => f.itemIdentifier).sort(), lines: out.lines() };
  } finally {
    out.restore();
  }
}

/** The sum of a metric over the EMF lines (Powertools writes a metric added twice as an array). */
const metric = (lines: Record<string, unknown>[], name: string) =>
  lines
    .filter((l) => '_aws' in l && name in l)
    .flatMap((l) => ([] as number[]).concat(l[name] as number))
    .reduce((a, b) => a + b, 0);

beforeAll(async () => (site = await serveFixtures()));
afterAll(() => site.stop());
beforeEach(() => {
  objects = new Map();
  s3.reset()
    .on(PutObjectCommand)
    .callsFake((input: { Bucket: string; Key: string; Body: Uint8Array }) => {
      objects.set(`${input.Bucket}/${input.Key}`, new Uint8Array(input.Body));
      return {};
    })
    .on(GetObjectCommand)
    .callsFake((input: { Bucket: string; Key: string }) => {
      const bytes = objects.get(`${input.Bucket}/${input.Key}`);
      if (!bytes) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
      return objectBody(bytes);
    });
  glue.reset().on(BatchCreatePartitionCommand).resolves({});
  setTestEnv({ FUNDAMENTUS_URL: site.url, B3LAKE_STAGE: 'dev' });
});

describe('proventos handler', () => {
  it('archives each page, writes each history, registers its partition; a bad record fails alone', async () => {
    const { failures, lines } = await invoke([
      record('wege3', WEGE3),
      record('hglg11', HGLG11),
      record('unknown', { ticker: 'ABCD3', kind: 'acoes', anomesdia: 20220527 }),
      record('not-a-job', { ticker: 'WEGE3' }),
    ]);
    expect(failures).toEqual(['not-a-job', 'unknown']);
    expect([...objects.keys()].sort()).toEqual([
      'b3lake-test-landing/fundamentus-proventos/anomesdia_exec=20220527/acoes/WEGE3.html.gz',
      'b3lake-test-landing/fundamentus-proventos/anomesdia_exec=20220527/fiis/HGLG11.html.gz',
      historyKey('HGLG11'),
      historyKey('WEGE3'),
    ]);
    const wege = await decodeParquet(PROVENTOS, objects.get(historyKey('WEGE3'))!);
    expect(wege.length).toBeGreaterThan(10);
    expect(wege.every((r) => r['codigo_ticker'] === 'WEGE3' && r['tipo_ativo'] === 'acao')).toBe(true);
    const registered = glue.commandCalls(BatchCreatePartitionCommand).map((c) => c.args[0].input);
    expect(registered.map((r) => [r.DatabaseName, r.TableName, r.PartitionInputList?.[0].Values]).sort()).toEqual([
      ['db_b3lake_sot_dev', 'tbsot_fundamentus_proventos', ['HGLG11']],
      ['db_b3lake_sot_dev', 'tbsot_fundamentus_proventos', ['WEGE3']],
    ]);
    // A first fetch: every row added, none removed, no history changed.
    const hglg = await decodeParquet(PROVENTOS, objects.get(historyKey('HGLG11'))!);
    expect(metric(lines, 'proventosRowsAdded')).toBe(wege.length + hglg.length);
    expect(metric(lines, 'proventosRowsRemoved')).toBe(0);
    expect(metric(lines, 'proventosHistoriesChanged')).toBe(0);
    expect(metric(lines, 'proventosTickersLanded')).toBe(2);
    expect(metric(lines, 'proventosFailed')).toBe(2);
    const failed = lines.filter((l) => l['message'] === 'proventos failed').map((l) => l['messageId']);
    expect(failed.sort()).toEqual(['not-a-job', 'unknown']);
  });

  it('a history that lost a row since its previous snapshot: a WARN line naming it and a metric', async () => {
    await invoke([record('first', WEGE3)]);
    // The previous snapshot had one distribution the page no longer shows.
    const rows = await decodeParquet(PROVENTOS, objects.get(historyKey('WEGE3'))!);
    const gone = { ...rows[0], id_provento: '2001-01-02|DIVIDENDO|0.5|1|-', dt_com: '2001-01-02' };
    objects.set(historyKey('WEGE3'), encodeParquet(PROVENTOS, [...rows.slice(1), gone]));
    const glueCalls = glue.commandCalls(BatchCreatePartitionCommand).length;

    const { failures, lines } = await invoke([record('again', WEGE3)]);
    expect(failures).toEqual([]);
    expect(metric(lines, 'proventosRowsRemoved')).toBe(1);
    expect(metric(lines, 'proventosRowsAdded')).toBe(1);
    expect(metric(lines, 'proventosHistoriesChanged')).toBe(1);
    const warning = lines.find((l) => l['level'] === 'WARN' && String(l['message']).startsWith('proventos WEGE3'));
    expect(warning).toMatchObject({
      message:
        `proventos WEGE3: history changed since its previous snapshot: 1 row removed (${gone.id_provento}); ` +
        `1 row added (${rows[0]['id_provento']})`,
      ticker: 'WEGE3',
      removedRows: [gone.id_provento],
    });
    // Registered again on every write (Glue's AlreadyExists is ignored): a retry after a failed
    // registration must still register the partition.
    expect(glue.commandCalls(BatchCreatePartitionCommand)).toHaveLength(glueCalls + 1);
  });
});
