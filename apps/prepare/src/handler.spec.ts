import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { FIXTURES, objectBody, setTestEnv } from '@b3lake/aws-runtime/testing';
import { decodeParquet, encodeParquet, table } from '@b3lake/lake';
import { sorRow } from '@b3lake/pipeline';
import { parseDetailPage } from '@b3lake/scraper';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from './handler';

const s3 = mockClient(S3Client);
const event = (...keys: string[]) => ({ Records: keys.map((key) => ({ s3: { bucket: { name: 'b3lake-test-sor' }, object: { key } } })) }) as unknown as S3Event;

describe('prepare handler', () => {
  beforeEach(() => setTestEnv());

  it('types the SoR row of the object in the event into SoT; ignores compacted objects', async () => {
    const page = parseDetailPage(readFileSync(join(FIXTURES, 'fundamentus/detalhes_PETR4.html')));
    const sor = encodeParquet(table('sor_acoes'), [sorRow(page, new Date('2022-05-24T21:45:00Z'))]);
    s3.reset().on(GetObjectCommand).resolves(objectBody(sor)).on(PutObjectCommand).resolves({});
    const result = await handler(event('tbsor_fundamentus_indicadores_acoes_raw/anomesdia_exec%3D20220524/PETR4.parquet', 'tbsor_fundamentus_indicadores_acoes_raw/anomesdia_exec%3D20220524/part-0a1b2c3d4e5f6071.parquet'));
    expect(result).toEqual({ rowsWritten: 1 });
    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(`${put.Bucket}/${put.Key}`).toBe('b3lake-test-sot/tbsot_fundamentus_indicadores_acoes_prep/anomesdia_exec=20220524/PETR4.parquet');
    const [row] = await decodeParquet(table('sot_acoes'), put.Body as Uint8Array);
    expect(row).toMatchObject({ nome_papel: 'PETR4', vlr_cot: 31.6, pct_var_dia: -0.0291, dt_ult_cot: '2022-05-24' });
  });
});
