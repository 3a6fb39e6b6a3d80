import { glueTableInput } from '../glue/glue-table';
import { PARTITION_KEY_RULES, partitionDate, type PartitionKeyName } from './partition-keys';
import { int } from './columns';
import { TABLES, table, type TableDef } from './tables';

const GLUE_TYPE = { INT: 'int', DATE: 'date', STRING: 'string' } as const;
const isRuled = (name: string): name is PartitionKeyName => name in PARTITION_KEY_RULES;

describe('partition keys follow one typing rule in every table', () => {
  it.each(TABLES.map((def) => [`${def.database}.${def.name}`, def] as const))(
    '%s: every key is a known name with its rule’s type',
    (_, def) => {
      const ruled = (name: string) => (isRuled(name) ? PARTITION_KEY_RULES[name].type : 'no rule for this name');
      expect(def.partitionKeys.map((c) => [c.name, c.type])).toEqual(
        def.partitionKeys.map((c) => [c.name, ruled(c.name)]),
      );
    },
  );

  it.each(TABLES.map((def) => [`${def.database}.${def.name}`, def] as const))(
    '%s: at most one date key, and it is the outermost',
    (_, def) => {
      const dateKeys = def.partitionKeys.filter((c) => c.type !== 'STRING').map((c) => c.name);
      expect(dateKeys.length).toBeLessThanOrEqual(1);
      if (dateKeys.length) expect(def.partitionKeys[0].name).toBe(dateKeys[0]);
    },
  );

  it('Glue declares the same partition key types as the registry (int, date, string)', () => {
    for (const def of TABLES) {
      const glue = glueTableInput(def, 's3://bucket/x/').PartitionKeys.map((k) => [k.Name, k.Type]);
      const expected = def.partitionKeys.map((c) => [c.name, GLUE_TYPE[c.type as keyof typeof GLUE_TYPE]]);
      expect(glue).toEqual(expected);
    }
  });

  it('keeps anomesdia_exec an INT yyyymmdd, the name and type saved Athena queries use', () => {
    expect(table('spec_cotacoes').partitionKeys).toEqual([expect.objectContaining({ name: 'anomesdia_exec' })]);
    expect(table('spec_cotacoes').partitionKeys[0].type).toBe('INT');
    expect(table('ibov_refined').partitionKeys.map((c) => [c.name, c.type])).toEqual([
      ['date', 'DATE'],
      ['ticker', 'STRING'],
    ]);
  });
});

describe('partitionDate', () => {
  it('shows every date key as an ISO date', () => {
    expect(partitionDate(table('spec_cotacoes'), { anomesdia_exec: 20220524 })).toBe('2022-05-24');
    expect(partitionDate(table('ibov_raw'), { date: '2022-05-24' })).toBe('2022-05-24');
    expect(partitionDate(table('ibov_refined'), { date: '2022-05-24', ticker: 'VALE3' })).toBe('2022-05-24');
  });

  it('shows a month key as yyyy-mm', () => {
    const monthly: TableDef = { ...table('spec_cotacoes'), partitionKeys: [int('anomes_exec', 'month, yyyymm')] };
    expect(partitionDate(monthly, { anomes_exec: 202205 })).toBe('2022-05');
  });
});
