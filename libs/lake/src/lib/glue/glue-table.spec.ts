import { table } from '../registry/tables';
import { glueTableInput } from './glue-table';

describe('glueTableInput', () => {
  it('describes a registry table for Glue: location, typed columns with their unit comments, partition keys', () => {
    const sot = glueTableInput(table('sot_acoes'), 's3://b3lake-sot/tbsot_fundamentus_indicadores_acoes_prep/');
    expect(sot.Name).toBe('tbsot_fundamentus_indicadores_acoes_prep');
    expect(sot.StorageDescriptor.Location).toBe('s3://b3lake-sot/tbsot_fundamentus_indicadores_acoes_prep/');
    expect(sot.StorageDescriptor.Columns).toContainEqual({
      Name: 'pct_var_dia',
      Type: 'double',
      Comment: 'price change on the day; fraction, 0.123 = 12.3%',
    });
    expect(sot.StorageDescriptor.Columns).toContainEqual(expect.objectContaining({ Name: 'dt_ult_cot', Type: 'date' }));
    expect(sot.PartitionKeys).toEqual([expect.objectContaining({ Name: 'anomesdia_exec', Type: 'int' })]);
    expect(glueTableInput(table('ibov_refined'), 's3://r/').PartitionKeys.map((k) => k.Name)).toEqual([
      'date',
      'ticker',
    ]);
  });

  it('suffixes the table name outside prod, so two stages fit one account', () => {
    expect(glueTableInput(table('ibov_refined'), 's3://r/', 'dev').Name).toBe('tbrefined_b3_carteira_ibov_dev');
    expect(glueTableInput(table('sot_acoes'), 's3://r/', 'prod').Name).toBe('tbsot_fundamentus_indicadores_acoes_prep');
  });
});
