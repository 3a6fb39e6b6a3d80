import { LakeError } from './errors';
import type { TableDef } from './registry/tables';

/** A partition value, ticker or object key that could escape its table's prefix or break a hive path. */
export class UnsafePathError extends LakeError {
  readonly code = 'UNSAFE_PATH';
  constructor(
    what: string,
    value: unknown,
    rule = "only letters, digits, '-', '_' and '.' are allowed (no '/', '..', '%', empty or control characters)",
  ) {
    super(`Unsafe ${what} ${JSON.stringify(value)}: ${rule}.`);
    this.name = 'UnsafePathError';
  }
}

const SAFE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Validates one path segment value (partition value, ticker, file stem). */
export function safeSegment(what: string, value: unknown): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !SAFE.test(text) || text.includes('..') || text.length > 128)
    throw new UnsafePathError(what, value);
  return text;
}

export type PartitionValues = Record<string, string | number>;

/**
 * Hive paths are owned here, built and parsed side by side: `<table>/<k>=<v>/…/<stem>.parquet`.
 * The Glue script apps/infra/glue/ibov_refine_job.py writes the same layout (Spark partitionBy).
 */
const PARQUET = '.parquet';

/** `k=v` segments of the first `count` partition keys, validated; other keys are refused. */
function segments(def: TableDef, values: PartitionValues, count: number): string[] {
  const keys = def.partitionKeys.map((c) => c.name);
  const extra = Object.keys(values).filter((k) => !keys.slice(0, count).includes(k));
  if (extra.length) throw new UnsafePathError(`partition key for ${def.name}`, extra.join(','));
  return keys.slice(0, count).map((key) => {
    if (!(key in values)) throw new UnsafePathError(`missing partition value ${key} for ${def.name}`, undefined);
    return `${key}=${safeSegment(`partition value ${key}`, values[key])}`;
  });
}

/** `anomesdia_exec=20220524` or `date=2022-05-24/ticker=PETR4`, in the table's key order. */
export function partitionPath(def: TableDef, values: PartitionValues): string {
  return segments(def, values, def.partitionKeys.length).join('/');
}

/** The folder (object-key prefix) of one partition: `<table>/<k=v>/…/`. */
export function partitionPrefix(def: TableDef, values: PartitionValues): string {
  return `${def.name}/${partitionPath(def, values)}/`;
}

/**
 * The folder of every partition whose leading keys have these values: `<table>/date=2022-05-24/`
 * for the refined IBOV table (all its tickers of one date). The values must be the table's first
 * partition keys, in any order.
 */
export function leadingPartitionPrefix(def: TableDef, values: PartitionValues): string {
  const count = Object.keys(values).length;
  return `${[def.name, ...segments(def, values, count)].join('/')}/`;
}

/** Object key of one file in a partition; the stem is validated like a partition value. */
export function objectKey(def: TableDef, values: PartitionValues, stem: string): string {
  return `${partitionPrefix(def, values)}${safeSegment('file name', stem)}${PARQUET}`;
}

/** Whether a key names a parquet object (not a folder marker or another file). */
export function isParquetKey(key: string): boolean {
  return key.endsWith(PARQUET);
}

/** The file stem of a parquet object key (`…/PETR4.parquet` → `PETR4`); undefined for other keys. */
export function objectStem(key: string): string | undefined {
  return isParquetKey(key) ? key.slice(key.lastIndexOf('/') + 1, -PARQUET.length) : undefined;
}

/** Parses `k=v` segments of a key under a table back into partition values. */
export function parsePartition(def: TableDef, key: string): PartitionValues | undefined {
  return parseSegments(def, key)?.values;
}

/** The inverse of objectKey: a parquet object directly in a partition of the table, or undefined. */
export function parseObjectKey(def: TableDef, key: string): { partition: PartitionValues; stem: string } | undefined {
  const parsed = parseSegments(def, key);
  const stem = parsed?.rest.length === 1 ? objectStem(parsed.rest[0]) : undefined;
  return parsed && stem ? { partition: parsed.values, stem } : undefined;
}

/**
 * The key from the table's folder on, when the table's folder starts the key or follows a '/'
 * (a store prefix, e.g. `lake/<table>/…`); undefined for a key outside the table.
 */
export function keyFromTable(def: TableDef, key: string): string | undefined {
  if (key.startsWith(`${def.name}/`)) return key;
  const at = key.indexOf(`/${def.name}/`);
  return at < 0 ? undefined : key.slice(at + 1);
}

function parseSegments(def: TableDef, key: string): { values: PartitionValues; rest: string[] } | undefined {
  if (!key.startsWith(`${def.name}/`)) return undefined;
  const rest = key.slice(def.name.length + 1).split('/');
  const values: PartitionValues = {};
  for (const column of def.partitionKeys) {
    const segment = rest.shift();
    const [k, v] = segment?.split('=') ?? [];
    if (k !== column.name || v === undefined) return undefined;
    values[k] = column.type === 'INT' ? Number(v) : v;
  }
  return { values, rest };
}
