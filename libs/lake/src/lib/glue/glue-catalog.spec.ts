import { BatchCreatePartitionCommand, GlueClient } from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { TABLES, table } from '../registry/tables';
import { GlueCatalog } from './glue-catalog';

const glue = mockClient(GlueClient);
const location = (def: { layer: string; name: string }) => `s3://b3lake-${def.layer}/${def.name}/`;

describe('GlueCatalog', () => {
  beforeEach(() => glue.reset().on(BatchCreatePartitionCommand).resolves({}));

  it('refresh makes no Glue call: databases and tables belong to CloudFormation', async () => {
    await new GlueCatalog(location, { client: new GlueClient({}) }).refresh(TABLES);
    await new GlueCatalog(location, { stage: 'dev' }).refresh(TABLES);
    expect(glue.calls()).toHaveLength(0);
  });

  it('registers partitions in chunks of 100, tolerating ones that already exist', async () => {
    glue.on(BatchCreatePartitionCommand).resolves({
      Errors: [{ PartitionValues: ['2022-05-24', 'PETR4'], ErrorDetail: { ErrorCode: 'AlreadyExistsException' } }],
    });
    const partitions = Array.from({ length: 150 }, (_, i) => ({ date: '2022-05-24', ticker: `T${i}` }));
    await new GlueCatalog(location).addPartitions(table('ibov_refined'), partitions);
    const calls = glue.commandCalls(BatchCreatePartitionCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.PartitionInputList?.length)).toEqual([100, 50]);
    expect(calls[0].PartitionInputList?.[0]).toMatchObject({
      Values: ['2022-05-24', 'T0'],
      StorageDescriptor: { Location: 's3://b3lake-refined/tbrefined_b3_carteira_ibov/date=2022-05-24/ticker=T0/' },
    });
  });

  it('registers partitions under the stage-suffixed names outside prod', async () => {
    await new GlueCatalog(location, { stage: 'dev' }).addPartitions(table('sot_acoes'), [{ anomesdia_exec: 20220524 }]);
    await new GlueCatalog(location, { stage: 'dev' }).addPartitions(table('ibov_refined'), [
      { date: '2022-05-24', ticker: 'PETR4' },
    ]);
    expect(
      glue
        .commandCalls(BatchCreatePartitionCommand)
        .map((c) => `${c.args[0].input.DatabaseName}.${c.args[0].input.TableName}`),
    ).toEqual(['db_b3lake_sot_dev.tbsot_fundamentus_indicadores_acoes_prep', 'default.tbrefined_b3_carteira_ibov_dev']);
  });

  it('fails on any other partition error', async () => {
    glue.on(BatchCreatePartitionCommand).resolves({
      Errors: [
        {
          PartitionValues: ['20220524'],
          ErrorDetail: { ErrorCode: 'InternalServiceException', ErrorMessage: 'try later' },
        },
      ],
    });
    await expect(
      new GlueCatalog(location).addPartitions(table('sot_acoes'), [{ anomesdia_exec: 20220524 }]),
    ).rejects.toThrow(/20220524: InternalServiceException try later/);
  });
});
