import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchCreatePartitionCommand, GlueClient } from '@aws-sdk/client-glue';
import { serveFixtures, setTestEnv } from '@b3lake/aws-runtime/testing';
import { decodeParquet, table } from '@b3lake/lake';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from './handler';

const s3 = mockClient(S3Client);
const glue = mockClient(GlueClient);
let site: Awaited<ReturnType<typeof serveFixtures>>;

beforeAll(async () => (site = await serveFixtures()));
afterAll(() => site.stop());

describe('ibov-ingest handler', () => {
  it('writes B3’s portfolio verbatim to the raw table, partitioned by the portfolio date', async () => {
    setTestEnv({ B3_URL: site.url });
    s3.reset()
      .on(PutObjectCommand)
      .resolves({})
      .on(ListObjectsV2Command)
      .resolves({ Contents: [] })
      .on(DeleteObjectsCommand)
      .resolves({});
    glue.reset().on(BatchCreatePartitionCommand).resolves({});
    expect(await handler({ date: '2022-05-24' })).toMatchObject({ date: '2022-05-24', rawRows: 4 });
    const raw = s3
      .commandCalls(PutObjectCommand)
      .map((c) => c.args[0].input)
      .find((i) => i.Key?.startsWith('tbsor_b3_carteira_ibov_raw/'))!;
    expect(raw.Key).toMatch(/^tbsor_b3_carteira_ibov_raw\/date=2022-05-24\/part-[0-9a-f]+\.parquet$/);
    expect((await decodeParquet(table('ibov_raw'), raw.Body as Uint8Array))[1]).toMatchObject({
      cod: 'PETR4',
      part: '38,250',
      type: 'PN  EJ  N2',
      language: 'pt-br',
    });
    expect(glue.commandCalls(BatchCreatePartitionCommand)[0].args[0].input.PartitionInputList?.[0].Values).toEqual([
      '2022-05-24',
    ]);
  });
});
