import type { PartitionValues } from '../hive';
import type { ColumnType } from './columns';
import type { TableDef } from './tables';

/**
 * One typing rule for every table's partition keys: a key's name fixes its type and how its value
 * is written, locally (hive folders, DuckDB) and in Glue/Athena alike.
 *
 * - `anomesdia_exec` is INT yyyymmdd (20260520), not DATE: it is pynvest-tools' name and type, so
 *   saved Athena queries (`WHERE anomesdia_exec = 20260520`) keep working, and a DATE would rename
 *   every folder already written (`anomesdia_exec=20260520` → `=2026-05-20`), every Glue partition
 *   value and the stack's named queries, for no gain in SQL (an INT compares and sorts as a date).
 * - `anomes_exec` is the same convention for a month: INT yyyymm.
 * - `date` is DATE, ISO (`date=2022-05-24`): the IBOV tables' key, B3's own portfolio date, as the
 *   Glue job writes it.
 * - `ano` is INT yyyy: the COTAHIST tables' key, a trading day's year.
 * - `ticker` is STRING.
 *
 * People see ISO dates whatever the key (partitionDate).
 */
export const PARTITION_KEY_RULES = {
  anomesdia_exec: { type: 'INT', format: 'yyyymmdd' },
  anomes_exec: { type: 'INT', format: 'yyyymm' },
  date: { type: 'DATE', format: 'yyyy-mm-dd' },
  ano: { type: 'INT', format: 'yyyy' },
  ticker: { type: 'STRING' },
} as const satisfies Record<string, { type: ColumnType; format?: string }>;

export type PartitionKeyName = keyof typeof PARTITION_KEY_RULES;

/** The partition keys that carry a date, in the rule's order. */
const DATE_KEYS = ['anomesdia_exec', 'anomes_exec', 'date', 'ano'] as const;

/**
 * The ISO date of a partition (`2026-05-20`, `2026-05` for a month, `2026` for a year), from whichever date key the
 * table has; undefined for a table without one.
 */
export function partitionDate(def: TableDef, values: PartitionValues): string | undefined {
  const key = DATE_KEYS.find((name) => def.partitionKeys.some((c) => c.name === name));
  if (!key || values[key] === undefined) return undefined;
  const text = String(values[key]);
  if (key === 'anomesdia_exec') return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
  if (key === 'anomes_exec') return `${text.slice(0, 4)}-${text.slice(4, 6)}`;
  return text;
}
