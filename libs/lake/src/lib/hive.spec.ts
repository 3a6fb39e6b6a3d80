import {
  isParquetKey,
  keyFromTable,
  leadingPartitionPrefix,
  objectKey,
  objectStem,
  parseObjectKey,
  parsePartition,
  partitionPath,
  partitionPrefix,
  safeSegment,
  UnsafePathError,
} from './hive';
import { table } from './registry/tables';

describe('hive paths', () => {
  it('builds <table>/anomesdia_exec=20220524/… for daily tables', () => {
    expect(objectKey(table('sor_acoes'), { anomesdia_exec: 20220524 }, 'PETR4')).toBe(
      'tbsor_fundamentus_indicadores_acoes_raw/anomesdia_exec=20220524/PETR4.parquet',
    );
  });

  it('builds date=…/ticker=… for the refined IBOV table, in key order', () => {
    expect(partitionPath(table('ibov_refined'), { ticker: 'PETR4', date: '2022-05-24' })).toBe(
      'date=2022-05-24/ticker=PETR4',
    );
  });

  it('parses partition values back, typed as the registry says', () => {
    expect(
      parsePartition(table('sot_fiis'), `${partitionPrefix(table('sot_fiis'), { anomesdia_exec: 20220524 })}x.parquet`),
    ).toEqual({ anomesdia_exec: 20220524 });
    expect(parsePartition(table('sot_fiis'), 'other/anomesdia_exec=1/x.parquet')).toBeUndefined();
  });

  it.each(['..', '../x', 'a/b', '%2F', 'a%2Fb', '', ' ', 'a\nb', '.hidden', 'x'.repeat(200)])(
    'rejects the partition value or ticker %j',
    (value) => {
      expect(() => safeSegment('ticker', value)).toThrow(UnsafePathError);
      expect(() => objectKey(table('sot_acoes'), { anomesdia_exec: 20220524 }, value)).toThrow(UnsafePathError);
    },
  );

  it('rejects unknown or missing partition keys', () => {
    expect(() => partitionPath(table('sot_acoes'), { anomesdia_exec: 1, extra: 'x' })).toThrow(UnsafePathError);
    expect(() => partitionPath(table('ibov_refined'), { date: '2022-05-24' })).toThrow(
      /missing partition value ticker/,
    );
  });
});

describe('hive keys parsed back', () => {
  const sor = table('sor_acoes');
  const day = { anomesdia_exec: 20220524 };

  it('parseObjectKey inverts objectKey, and refuses keys of other shapes', () => {
    expect(parseObjectKey(sor, objectKey(sor, day, 'PETR4'))).toEqual({ partition: day, stem: 'PETR4' });
    expect(parseObjectKey(sor, `${partitionPrefix(sor, day)}x/PETR4.parquet`)).toBeUndefined();
    expect(parseObjectKey(sor, `${partitionPrefix(sor, day)}PETR4.json`)).toBeUndefined();
    expect(parseObjectKey(table('sot_acoes'), objectKey(sor, day, 'PETR4'))).toBeUndefined();
    expect(objectStem('a/b/part-0a.parquet')).toBe('part-0a');
    expect(isParquetKey('a/b.parquet.tmp-1-ab')).toBe(false);
  });

  it('leadingPartitionPrefix is the folder of every partition sharing the leading keys', () => {
    const refined = table('ibov_refined');
    expect(leadingPartitionPrefix(refined, { date: '2022-05-24' })).toBe('tbrefined_b3_carteira_ibov/date=2022-05-24/');
    expect(leadingPartitionPrefix(refined, { date: '2022-05-24', ticker: 'PETR4' })).toBe(
      `${partitionPrefix(refined, { date: '2022-05-24', ticker: 'PETR4' })}`,
    );
    expect(() => leadingPartitionPrefix(refined, { ticker: 'PETR4' })).toThrow(UnsafePathError);
  });

  it('keyFromTable finds the table folder under a store prefix', () => {
    const raw = table('ibov_raw');
    expect(keyFromTable(raw, 'lake/tbsor_b3_carteira_ibov_raw/date=2022-05-24/x.parquet')).toBe(
      'tbsor_b3_carteira_ibov_raw/date=2022-05-24/x.parquet',
    );
    expect(keyFromTable(raw, 'xtbsor_b3_carteira_ibov_raw/date=2022-05-24/x.parquet')).toBeUndefined();
  });
});
