import {
  BatchCreatePartitionCommand,
  CreateDatabaseCommand,
  CreateTableCommand,
  GetDatabaseCommand,
  GetTableCommand,
  GlueClient,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { TABLES, table } from '../registry/tables';
import { GlueCatalog } from './glue-catalog';

const glue = mockClient(GlueClient);
const notFound = Object.assign(new Error('not found'), { name: 'EntityNotFoundException' });
const location = (def: { layer: string; name: string }) => `s3://b3lake-${def.layer}/${def.name}/`;

describe('GlueCatalog', () => {
  beforeEach(() => glue.reset());

  it('creates missing databases and tables from the registry, with column comments', async () => {
    glue.on(GetDatabaseCommand).rejects(notFound).on(GetTableCommand).rejects(notFound);
    await new GlueCatalog(location, { client: new GlueClient({}) }).refresh([table('sot_acoes'), table('ibov_refined')]);
    expect(glue.commandCalls(CreateDatabaseCommand).map((c) => c.args[0].input.DatabaseInput?.Name)).toEqual(['db_b3lake_sot', 'default']);
    const created = glue.commandCalls(CreateTableCommand).map((c) => c.args[0].input);
    expect(created.map((t) => `${t.DatabaseName}.${t.TableInput?.Name}`)).toEqual(['db_b3lake_sot.tbsot_fundamentus_indicadores_acoes_prep', 'default.tbrefined_b3_carteira_ibov']);
    const sot = created[0].TableInput!;
    expect(sot.StorageDescriptor?.Location).toBe('s3://b3lake-sot/tbsot_fundamentus_indicadores_acoes_prep/');
    expect(sot.StorageDescriptor?.Columns).toContainEqual({ Name: 'pct_var_dia', Type: 'double', Comment: 'price change on the day; fraction, 0.123 = 12.3%' });
    expect(sot.StorageDescriptor?.Columns).toContainEqual(expect.objectContaining({ Name: 'dt_ult_cot', Type: 'date' }));
    expect(sot.PartitionKeys).toEqual([expect.objectContaining({ Name: 'anomesdia_exec', Type: 'int' })]);
    expect(created[1].TableInput?.PartitionKeys?.map((k) => k.Name)).toEqual(['date', 'ticker']);
  });

  it('updates tables that exist and leaves existing databases alone', async () => {
    glue.on(GetDatabaseCommand).resolves({}).on(GetTableCommand).resolves({});
    await new GlueCatalog(location).refresh(TABLES);
    expect(glue.commandCalls(CreateDatabaseCommand)).toHaveLength(0);
    expect(glue.commandCalls(UpdateTableCommand)).toHaveLength(TABLES.length);
  });

  it('suffixes Glue names outside prod, so two stages fit one account', async () => {
    glue.on(GetDatabaseCommand).rejects(notFound).on(GetTableCommand).rejects(notFound);
    await new GlueCatalog(location, { stage: 'dev' }).refresh([table('sot_acoes'), table('ibov_refined')]);
    expect(glue.commandCalls(CreateTableCommand).map((c) => `${c.args[0].input.DatabaseName}.${c.args[0].input.TableInput?.Name}`)).toEqual([
      'db_b3lake_sot_dev.tbsot_fundamentus_indicadores_acoes_prep',
      'default.tbrefined_b3_carteira_ibov_dev',
    ]);
  });

  it('rethrows errors other than not-found', async () => {
    glue.on(GetDatabaseCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(new GlueCatalog(location).refresh([table('sot_acoes')])).rejects.toThrow('denied');
  });

  it('registers partitions in chunks of 100, tolerating ones that already exist', async () => {
    glue.on(BatchCreatePartitionCommand).resolves({ Errors: [{ PartitionValues: ['2022-05-24', 'PETR4'], ErrorDetail: { ErrorCode: 'AlreadyExistsException' } }] });
    const partitions = Array.from({ length: 150 }, (_, i) => ({ date: '2022-05-24', ticker: `T${i}` }));
    await new GlueCatalog(location).addPartitions(table('ibov_refined'), partitions);
    const calls = glue.commandCalls(BatchCreatePartitionCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.PartitionInputList?.length)).toEqual([100, 50]);
    expect(calls[0].PartitionInputList?.[0]).toMatchObject({ Values: ['2022-05-24', 'T0'], StorageDescriptor: { Location: 's3://b3lake-refined/tbrefined_b3_carteira_ibov/date=2022-05-24/ticker=T0/' } });
  });

  it('fails on any other partition error', async () => {
    glue.on(BatchCreatePartitionCommand).resolves({ Errors: [{ PartitionValues: ['20220524'], ErrorDetail: { ErrorCode: 'InternalServiceException', ErrorMessage: 'try later' } }] });
    await expect(new GlueCatalog(location).addPartitions(table('sot_acoes'), [{ anomesdia_exec: 20220524 }])).rejects.toThrow(/20220524: InternalServiceException try later/);
  });
});
