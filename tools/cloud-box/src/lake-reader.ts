import { S3Client } from '@aws-sdk/client-s3';
import {
  LocalFsStore,
  readPartition,
  table,
  type ObjectStore,
  type PartitionValues,
  type Row,
  type TableKey,
} from '@b3lake/lake';
import { S3Store } from '@b3lake/lake/s3';
import { join } from 'node:path';
import { REGION } from './template';

/** Reads tables from the box's buckets (as an administrator: these reads are not the pipeline's). */
export function s3Stores(endpoint: string, bucketOf: (layer: string) => string): (key: TableKey) => ObjectStore {
  const client = new S3Client({
    endpoint,
    region: REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: 'admin', secretAccessKey: 'admin' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return (key) => new S3Store(bucketOf(table(key).layer), { client });
}

/** Reads tables from a local `b3lake run --data-dir DIR`. */
export function localStores(dataDir: string): (key: TableKey) => ObjectStore {
  return (key) => new LocalFsStore(join(dataDir, 'lake', table(key).layer));
}

/** Rows of a partition without the fetch time (two runs fetch at different moments), sorted by the table's key. */
export async function rowsOf(
  stores: (key: TableKey) => ObjectStore,
  key: TableKey,
  partition: PartitionValues,
): Promise<Row[]> {
  const def = table(key);
  const rows = (await readPartition(stores(key), def, partition)).map(({ ts_extracao: _ts, ...rest }) => rest);
  const by = def.uniqueKey ?? def.columns[0].name;
  return rows.sort((a, b) => String(a[by]).localeCompare(String(b[by])));
}

/** Object keys of a partition. */
export async function objectsOf(
  stores: (key: TableKey) => ObjectStore,
  key: TableKey,
  prefix: string,
): Promise<string[]> {
  return (await stores(key).list(`${table(key).name}/${prefix}`)).map((o) => o.key);
}
