import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LocalFsStore,
  table,
  writeObject,
  type ColumnType,
  type PartitionValues,
  type Row,
  type TableKey,
} from '@b3lake/lake';

const SAMPLE: Record<ColumnType, (ticker: string, n: number) => Row[string]> = {
  STRING: (ticker) => ticker,
  DOUBLE: (_, n) => n + 0.5,
  BIGINT: (_, n) => n,
  INT: (_, n) => n,
  DATE: () => '2022-05-24',
  TIMESTAMP: () => new Date('2022-05-24T21:45:00Z'),
  BOOLEAN: () => true,
};

/** A row with every column of the table filled by its type (text columns hold the ticker); no column is named here. */
function sampleRow(key: TableKey, ticker: string, n: number): Row {
  return Object.fromEntries(table(key).columns.map((c) => [c.name, SAMPLE[c.type](ticker, n)]));
}

async function write(dataDir: string, key: TableKey, partition: PartitionValues, tickers: string[]): Promise<void> {
  const def = table(key);
  const rows = tickers.map((ticker, n) => sampleRow(key, ticker, n));
  await writeObject(new LocalFsStore(join(dataDir, 'lake', def.layer)), def, partition, 'part-0', rows);
}

/**
 * A lake written as a run writes it (hive folders, parquet), with no catalog.duckdb: SoT stocks on
 * 2022-05-24 (PETR4, VALE3) and 2022-05-25 (PETR4), the raw IBOV portfolio of 2022-05-24 and the
 * refined one (one partition per ticker). Returns its data dir.
 */
export async function writeSmallLake(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'b3lake-cli-lake-'));
  await write(dataDir, 'sot_acoes', { anomesdia_exec: 20220524 }, ['PETR4', 'VALE3']);
  await write(dataDir, 'sot_acoes', { anomesdia_exec: 20220525 }, ['PETR4']);
  await write(dataDir, 'ibov_raw', { date: '2022-05-24' }, ['PETR4', 'VALE3']);
  for (const ticker of ['PETR4', 'VALE3'])
    await write(dataDir, 'ibov_refined', { date: '2022-05-24', ticker }, [ticker]);
  return dataDir;
}
