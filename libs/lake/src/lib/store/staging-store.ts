import { ObjectNotFoundError, type ObjectInfo, type ObjectStore } from './object-store';

/**
 * A store that keeps some objects in memory and passes the rest to `inner`. A local run stages
 * its per-ticker objects here: finalize compacts them into one object per partition (written
 * to disk) and deletes them, so they never need a file of their own — thousands of small file
 * writes, renames and listings less per day. A process that dies loses only staged objects, which
 * a re-run writes again (the archived pages are on disk).
 */
export class StagingStore implements ObjectStore {
  private readonly staged = new Map<string, Uint8Array>();

  constructor(
    private readonly inner: ObjectStore,
    /** Which keys stay in memory. */
    private readonly stages: (key: string) => boolean,
  ) {}

  get location(): string {
    return this.inner.location;
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    if (this.stages(key)) this.staged.set(key, body);
    else await this.inner.put(key, body);
  }

  async get(key: string): Promise<Uint8Array> {
    const body = this.staged.get(key);
    if (body) return body;
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
    return [...found.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.staged.delete(key);
    // Also on disk: a run killed before staging existed (or with another store) may have left the file.
    await this.inner.delete(keys);
  }

  /** Objects held in memory (a run that ends without finalize leaves them unwritten). */
  get stagedCount(): number {
    return this.staged.size;
  }
}
