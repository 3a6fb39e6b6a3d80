import { readFile } from 'node:fs/promises';
import { LakeError } from '../errors';
import { UnsafePathError } from '../hive';
import type { Row } from '../parquet';
import type { TableDef } from '../registry/tables';

/** Where the lake's objects live. LocalFsStore by default; S3Store on AWS. Keys use '/'. */
export interface ObjectStore {
  /** Human-readable location, for logs and summaries. */
  readonly location: string;
  /** Writes an object; readers see the old bytes or the new ones, never a partial file. */
  put(key: string, body: Uint8Array): Promise<void>;
  /** Reads an object; throws ObjectNotFoundError when absent. */
  get(key: string): Promise<Uint8Array>;
  /** Every object whose key starts with the prefix, sorted by key. */
  list(prefix: string): Promise<ObjectInfo[]>;
  /** Deletes the given keys; absent keys are ignored. */
  delete(keys: readonly string[]): Promise<void>;
  /**
   * Optional: moves or uploads a local file as an object without reading it into memory (a year of
   * COTAHIST is tens of MB); the file may be gone afterwards. `putFile()` falls back to `put`.
   */
  putFile?(key: string, path: string): Promise<void>;
  /** Optional: writes an object from chunks as they arrive (a download), atomically */
  putStream?(key: string, body: AsyncIterable<Uint8Array>): Promise<void>;
  /**
   * Optional: an object's bytes in chunks, never whole in memory (an archived 90 MB zip).
   * `getStream()` falls back to `get`.
   */
  getStream?(key: string): AsyncIterable<Uint8Array>;
  /**
   * Optional, for stores that keep some objects in memory: holds a parquet object of `def` as
   * its rows instead of bytes and returns true, or returns false for a key it does not hold.
   */
  stageRows?(key: string, def: TableDef, rows: readonly Row[]): boolean;
  /** The rows of an object held by `stageRows` (copies), or undefined. */
  stagedRows?(key: string): Row[] | undefined;
}

export interface ObjectInfo {
  key: string;
  size: number;
  /** When the object was last written, where the store knows it. */
  modified?: Date;
}

/** No object under a key (a missing file locally, NoSuchKey on S3). */
export class ObjectNotFoundError extends LakeError {
  readonly code = 'OBJECT_NOT_FOUND';
  constructor(
    readonly key: string,
    location: string,
  ) {
    super(`No object ${key} in ${location}`);
    this.name = 'ObjectNotFoundError';
  }
}

/** Rejects keys that could escape the store's root: absolute, `..`, backslashes, control characters, empty segments. */
export function assertSafeKey(key: string): string {
  if (
    typeof key !== 'string' ||
    key === '' ||
    key.startsWith('/') ||
    key.includes('\\') ||
    [...key].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f) ||
    key
      .split('/')
      .some((segment, i, all) => segment === '..' || segment === '.' || (segment === '' && i < all.length - 1))
  ) {
    throw new UnsafePathError(
      'object key',
      key,
      "no absolute path, '.' or '..' segment, empty segment, backslash or control character",
    );
  }
  return key;
}

/** Puts a local file as an object: streamed where the store can, read whole otherwise. */
export async function putFile(store: ObjectStore, key: string, path: string): Promise<void> {
  if (store.putFile) return store.putFile(key, path);
  await store.put(key, await readFile(path));
}

/** An object's bytes in chunks: streamed where the store can, one chunk otherwise. */
export async function* getStream(store: ObjectStore, key: string): AsyncIterable<Uint8Array> {
  if (store.getStream) {
    yield* store.getStream(key);
    return;
  }
  yield await store.get(key);
}

/** Writes an object from chunks: streamed where the store can, gathered in memory otherwise. */
export async function putStream(store: ObjectStore, key: string, body: AsyncIterable<Uint8Array>): Promise<void> {
  if (store.putStream) return store.putStream(key, body);
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  await store.put(key, Buffer.concat(chunks));
}
