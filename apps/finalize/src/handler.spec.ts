import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchCreatePartitionCommand, GetDatabaseCommand, GetTableCommand, GlueClient, UpdateTableCommand } from '@aws-sdk/client-glue';
import { objectBody, setTestEnv } from '@b3lake/aws-runtime/testing';
import { encodeParquet, table } from '@b3lake/lake';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from './handler';

const s3 = mockClient(S3Client);
const glue = mockClient(GlueClient);
const SPEC = table('spec_cotacoes');
const prefix = 'tbspec_fundamentus_cotacao_ativos/anomesdia_exec=20220524/';

describe('finalize handler', () => {
  beforeEach(() => {
    setTestEnv();
    glue.reset().on(GetDatabaseCommand).resolves({}).on(GetTableCommand).resolves({}).on(UpdateTableCommand).resolves({}).on(BatchCreatePartitionCommand).resolves({});
  });

  it('compacts the partition to one object, deletes the per-ticker ones after, registers the partition', async () => {
    const bytes = (t: string) => encodeParquet(SPEC, [{ codigo_ticker_ativo: t, vlr_cot: 1 }]);
    s3.reset()
      .on(ListObjectsV2Command).resolves({ Contents: [{ Key: `${prefix}PETR4.parquet`, Size: 1 }, { Key: `${prefix}VALE3.parquet`, Size: 1 }] })
      .on(GetObjectCommand, { Key: `${prefix}PETR4.parquet` }).resolves(objectBody(bytes('PETR4')))
      .on(GetObjectCommand, { Key: `${prefix}VALE3.parquet` }).resolves(objectBody(bytes('VALE3')))
      .on(PutObjectCommand).resolves({})
      .on(DeleteObjectsCommand).resolves({});
    const result = await handler({ anomesdia: 20220524, tables: ['spec_cotacoes'] });
    expect(result).toEqual({ anomesdia: 20220524, tables: [{ table: SPEC.name, rows: 2, objectsBefore: 2, objectsAfter: 1 }] });
    expect(s3.commandCalls(PutObjectCommand)[0].args[0].input.Key).toMatch(/part-[0-9a-f]{16}\.parquet$/);
    expect(s3.commandCalls(DeleteObjectsCommand)[0].args[0].input.Delete?.Objects?.map((o) => o.Key)).toEqual([`${prefix}PETR4.parquet`, `${prefix}VALE3.parquet`]);
    expect(glue.commandCalls(BatchCreatePartitionCommand)[0].args[0].input).toMatchObject({ DatabaseName: 'db_b3lake_spec', TableName: SPEC.name, PartitionInputList: [{ Values: ['20220524'] }] });
  });
});
