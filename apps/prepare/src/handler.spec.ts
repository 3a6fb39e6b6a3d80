import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { FIXTURES, objectBody, setTestEnv } from '@b3lake/aws-runtime/testing';
import { decodeParquet, encodeParquet, table } from '@b3lake/lake';
import { sorRow } from '@b3lake/pipeline';
import { parseDetailPage } from '@b3lake/scraper';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from './handler';

const s3 = mockClient(S3Client);
const event = (...keys: string[]) =>
  ({
    Records: keys.map((key) => ({ s3: { bucket: { name: 'b3lake-test-sor' }, object: { key } } })),
  }) as unknown as S3Event;
const SOR_KEY = 'tbsor_fundamentus_indicadores_acoes_raw/anomesdia_exec%3D20220524/PETR4.parquet';
const SOT_PREFIX = 'tbsot_fundamentus_indicadores_acoes_prep/anomesdia_exec=20220524/';
const noSuchKey = Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });

describe('prepare handler', () => {
  beforeEach(() => setTestEnv());

  it('types the SoR row of the object in the event into SoT; ignores compacted objects', async () => {
    const page = parseDetailPage(readFileSync(join(FIXTURES, 'fundamentus/detalhes_PETR4.html')));
    const sor = encodeParquet(table('sor_acoes'), [sorRow(page, new Date('2022-05-24T21:45:00Z'))]);
    s3.reset()
      .on(GetObjectCommand)
      .resolves(objectBody(sor))
      .on(ListObjectsV2Command)
      .resolves({ Contents: [] })
      .on(PutObjectCommand)
      .resolves({});
    const result = await handler(
      event(SOR_KEY, 'tbsor_fundamentus_indicadores_acoes_raw/anomesdia_exec%3D20220524/part-0a1b2c3d4e5f6071.parquet'),
    );
    expect(result).toEqual({ rowsWritten: 1, skipped: 0 });
    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(`${put.Bucket}/${put.Key}`).toBe(`b3lake-test-sot/${SOT_PREFIX}PETR4.parquet`);
    const [row] = await decodeParquet(table('sot_acoes'), put.Body as Uint8Array);
    expect(row).toMatchObject({ nome_papel: 'PETR4', vlr_cot: 31.6, pct_var_dia: -0.0291, dt_ult_cot: '2022-05-24' });
  });

  it('running after finalize compacted the SoR object away, skips instead of failing and writes nothing', async () => {
    s3.reset()
      .on(GetObjectCommand)
      .rejects(noSuchKey)
      .on(ListObjectsV2Command)
      .resolves({ Contents: [] })
      .on(ListObjectsV2Command, {
        Bucket: 'b3lake-test-sor',
        Prefix: 'tbsor_fundamentus_indicadores_acoes_raw/anomesdia_exec=20220524/part-',
      })
      .resolves({ Contents: [{ Key: `${SOT_PREFIX}part-0a1b2c3d4e5f6071.parquet`, Size: 1 }] });
    expect(await handler(event(SOR_KEY))).toEqual({ rowsWritten: 0, skipped: 1 });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('also skips between finalize compacting SoR and writing SoT', async () => {
    s3.reset()
      .on(GetObjectCommand)
      .rejects(noSuchKey)
      .on(ListObjectsV2Command)
      .resolves({ Contents: [] })
      .on(ListObjectsV2Command, { Bucket: 'b3lake-test-sot', Prefix: `${SOT_PREFIX}part-` })
      .resolves({ Contents: [{ Key: `${SOT_PREFIX}part-0a1b2c3d4e5f6071.parquet`, Size: 1 }] });
    expect(await handler(event(SOR_KEY))).toEqual({ rowsWritten: 0, skipped: 1 });
  });

  it('still fails when the SoR object is missing and the day is not finalized', async () => {
    s3.reset().on(GetObjectCommand).rejects(noSuchKey).on(ListObjectsV2Command).resolves({ Contents: [] });
    await expect(handler(event(SOR_KEY))).rejects.toThrow(
      /No object tbsor_fundamentus_indicadores_acoes_raw\/anomesdia_exec=20220524\/PETR4.parquet/,
    );
  });
});
