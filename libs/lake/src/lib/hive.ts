import type { TableDef } from './registry/tables';

/** A partition value or ticker that could escape its table's prefix or break a hive path. */
export class UnsafePathError extends Error {
  constructor(what: string, value: unknown) {
    super(
      `Unsafe ${what} ${JSON.stringify(value)}: only letters, digits, '-', '_' and '.' are allowed (no '/', '..', '%', empty or control characters).`,
    );
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

/** `anomesdia_exec=20220524` or `date=2022-05-24/ticker=PETR4`, in the table's key order. */
export function partitionPath(def: TableDef, values: PartitionValues): string {
  const keys = def.partitionKeys.map((c) => c.name);
  const extra = Object.keys(values).filter((k) => !keys.includes(k));
  if (extra.length) throw new UnsafePathError(`partition key for ${def.name}`, extra.join(','));
  return keys
    .map((key) => {
      if (!(key in values)) throw new UnsafePathError(`missing partition value ${key} for ${def.name}`, undefined);
      return `${key}=${safeSegment(`partition value ${key}`, values[key])}`;
    })
    .join('/');
}

/** The folder (object-key prefix) of one partition: `<table>/<k=v>/…/`. */
export function partitionPrefix(def: TableDef, values: PartitionValues): string {
  return `${def.name}/${partitionPath(def, values)}/`;
}

/** Object key of one file in a partition; the stem is validated like a partition value. */
export function objectKey(def: TableDef, values: PartitionValues, stem: string): string {
  return `${partitionPrefix(def, values)}${safeSegment('file name', stem)}.parquet`;
}

/** Parses `k=v` segments of a key under a table back into partition values. */
export function parsePartition(def: TableDef, key: string): PartitionValues | undefined {
  if (!key.startsWith(`${def.name}/`)) return undefined;
  const segments = key.slice(def.name.length + 1).split('/');
  const values: PartitionValues = {};
  for (const column of def.partitionKeys) {
    const segment = segments.shift();
    const [k, v] = segment?.split('=') ?? [];
    if (k !== column.name || v === undefined) return undefined;
    values[k] = column.type === 'INT' ? Number(v) : v;
  }
  return values;
}
