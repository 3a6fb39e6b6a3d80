import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { objectBody, setTestEnv } from '@b3lake/aws-runtime/testing';
import { decodeParquet, encodeParquet, table } from '@b3lake/lake';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from './handler';

const s3 = mockClient(S3Client);
const SPEC_PREFIX = 'tbspec_fundamentus_cotacao_ativos/anomesdia_exec=20220524/';
const event = {
  Records: [
    { s3: { object: { key: 'tbsot_fundamentus_indicadores_fiis_prep/anomesdia_exec=20220524/HGLG11.parquet' } } },
  ],
} as unknown as S3Event;

describe('specialize handler', () => {
  beforeEach(() => setTestEnv());

  it('turns the SoT row of a FII into its Spec quote row', async () => {
    const sot = encodeParquet(table('sot_fiis'), [
      {
        fii: 'HGLG11',
        nome_fii: 'PÁTRIA LOG',
        segmento: 'Logística',
        vlr_cot: 150.3,
        pct_var_dia: 0.0049,
        num_ano_a0: 2026,
      },
    ]);
    s3.reset()
      .on(GetObjectCommand)
      .resolves(objectBody(sot))
      .on(ListObjectsV2Command)
      .resolves({ Contents: [] })
      .on(PutObjectCommand)
      .resolves({});
    expect(await handler(event)).toEqual({ rowsWritten: 1, skipped: 0 });
    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(put.Key).toBe(`${SPEC_PREFIX}HGLG11.parquet`);
    expect(await decodeParquet(table('spec_cotacoes'), put.Body as Uint8Array)).toMatchObject([
      {
        codigo_ticker_ativo: 'HGLG11',
        tipo_ativo: 'Fundo Imobiliário',
        nome_setor_segmento: 'Logística',
        vlr_cot: 150.3,
      },
    ]);
  });

  it('does not add a per-ticker Spec object beside a compacted one (the day is finalized)', async () => {
    const sot = encodeParquet(table('sot_fiis'), [{ fii: 'HGLG11', vlr_cot: 150.3 }]);
    s3.reset()
      .on(GetObjectCommand)
      .resolves(objectBody(sot))
      .on(ListObjectsV2Command, { Bucket: 'b3lake-test-spec', Prefix: `${SPEC_PREFIX}part-` })
      .resolves({ Contents: [{ Key: `${SPEC_PREFIX}part-0a1b2c3d4e5f6071.parquet`, Size: 1 }] });
    expect(await handler(event)).toEqual({ rowsWritten: 0, skipped: 1 });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
