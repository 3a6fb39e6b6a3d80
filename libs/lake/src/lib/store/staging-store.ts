import { copyRows, encodeParquet, validateRows, type Row } from '../parquet';
import type { TableDef } from '../registry/tables';
import { ObjectNotFoundError, getStream, putFile, putStream, type ObjectInfo, type ObjectStore } from './object-store';

/**
 * A store that keeps some objects in memory and passes the rest to `inner`. A local run stages
 * its per-ticker objects here: finalize compacts them into one object per partition (written
 * to disk) and deletes them, so they never need a file of their own — thousands of small file
 * writes, renames and listings less per day. A process that dies loses only staged objects, which
 * a re-run writes again (the archived pages are on disk).
 *
 * Per-key parquet objects are staged as their checked rows (`stageRows`), not as bytes: encoding
 * a one-row file only for finalize to decode it again was a fifth of a run's CPU time.
 */
export class StagingStore implements ObjectStore {
  private readonly staged = new Map<string, Uint8Array>();
  private readonly rowsByKey = new Map<string, { def: TableDef; rows: Row[] }>();

  constructor(
    private readonly inner: ObjectStore,
    /** Which keys stay in memory. */
    private readonly stages: (key: string) => boolean,
  ) {}

  get location(): string {
    return this.inner.location;
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    if (this.stages(key)) {
      this.rowsByKey.delete(key);
      this.staged.set(key, body);
    } else await this.inner.put(key, body);
  }

  /** Files are never staged: they go to the inner store as they are. */
  async putFile(key: string, path: string): Promise<void> {
    this.staged.delete(key);
    this.rowsByKey.delete(key);
    await putFile(this.inner, key, path);
  }

  async putStream(key: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    this.staged.delete(key);
    this.rowsByKey.delete(key);
    await putStream(this.inner, key, body);
  }

  async *getStream(key: string): AsyncIterable<Uint8Array> {
    const staged = this.staged.get(key) ?? (this.rowsByKey.has(key) ? await this.get(key) : undefined);
    if (staged) yield staged;
    else yield* getStream(this.inner, key);
  }

  /** Stages a parquet object of `def` as its rows (checked against the schema now, as encoding would). */
  stageRows(key: string, def: TableDef, rows: readonly Row[]): boolean {
    if (!this.stages(key)) return false;
    this.rowsByKey.set(key, { def, rows: validateRows(def, rows) });
    this.staged.delete(key);
    return true;
  }

  /** The rows of an object staged with `stageRows` (copies), or undefined. */
  stagedRows(key: string): Row[] | undefined {
    const staged = this.rowsByKey.get(key);
    return staged && copyRows(staged.def, staged.rows);
  }

  async get(key: string): Promise<Uint8Array> {
    const body = this.staged.get(key);
    if (body) return body;
    const rows = this.rowsByKey.get(key);
    // Encoded only if someone reads the bytes; the lake's own readers take the rows.
    if (rows) return encodeParquet(rows.def, rows.rows, { statistics: false });
    try {
      return await this.inner.get(key);
    } catch (error) {
      if (error instanceof ObjectNotFoundError) throw new ObjectNotFoundError(key, this.location);
      throw error;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const found = new Map((await this.inner.list(prefix)).map((o) => [o.key, o] as const));
    for (const [key, body] of this.staged) if (key.startsWith(prefix)) found.set(key, { key, size: body.byteLength });
    // Size unknown until encoded; nothing reads the size of a per-key object.
    for (const key of this.rowsByKey.keys()) if (key.startsWith(prefix)) found.set(key, { key, size: 0 });
    return [...found.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      this.staged.delete(key);
      this.rowsByKey.delete(key);
    }
    // Also on disk: a run killed before staging existed (or with another store) may have left the file.
    await this.inner.delete(keys);
  }

  /** Objects held in memory (a run that ends without finalize leaves them unwritten). */
  get stagedCount(): number {
    return this.staged.size + this.rowsByKey.size;
  }
}
