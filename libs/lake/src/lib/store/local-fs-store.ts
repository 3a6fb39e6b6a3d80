import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { copyFile, mkdir, readFile, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import pLimit from 'p-limit';
import { ObjectNotFoundError, assertSafeKey, type ObjectInfo, type ObjectStore } from './object-store';

/**
 * Temporary files are named `<target>.tmp-<pid>-<random>`: built by temporaryPath, recognised by
 * isTemporaryName (readers of the lake folders, e.g. the DuckDB catalog, skip them).
 */
const TEMP_MARK = '.tmp-';

/** A fresh temporary name beside `path`, for a write that is then renamed over it. */
export function temporaryPath(path: string): string {
  return `${path}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Whether a file name or path is a temporary file (possibly left by a killed writer). */
export function isTemporaryName(name: string): boolean {
  return name.includes(TEMP_MARK);
}

/** Writes a file through a temporary file and a rename: readers see the old bytes or the new ones. */
export async function writeFileAtomic(path: string, body: Uint8Array | string): Promise<void> {
  const temp = temporaryPath(path);
  try {
    await writeFile(temp, body);
  } catch (error) {
    // The folder is usually there already: create it only when the write says it is missing.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, body);
  }
  await rename(temp, path);
}

/**
 * Objects as files under a root folder. A put writes a temporary file beside the target and
 * renames it over the target (atomic on one file system), so a reader or a process killed
 * mid-write never leaves a partial object; stale temporary files are never listed.
 */
export class LocalFsStore implements ObjectStore {
  constructor(readonly root: string) {}

  get location(): string {
    return this.root;
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    await writeFileAtomic(this.path(key), body);
  }

  /** Renames the file into place (copied first when it is on another file system): atomic for readers. */
  async putFile(key: string, path: string): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = temporaryPath(target);
    try {
      await rename(path, temp);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await copyFile(path, temp);
      await unlink(path);
    }
    await rename(temp, target);
  }

  /** Streams the chunks into a temporary file renamed into place once complete. */
  async putStream(key: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = temporaryPath(target);
    try {
      await pipeline(body, createWriteStream(temp));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async *getStream(key: string): AsyncIterable<Uint8Array> {
    try {
      yield* createReadStream(this.path(key), { highWaterMark: 1 << 20 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ObjectNotFoundError(key, this.root);
      throw error;
    }
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.path(key)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ObjectNotFoundError(key, this.root);
      throw error;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/') + 1) : '';
    const start = join(this.root, base);
    let names: string[];
    try {
      names = (await readdir(start, { recursive: true, encoding: 'utf8' })) as string[];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const candidates = names.flatMap((name) => {
      if (isTemporaryName(name)) return [];
      const key = relative(this.root, join(start, name)).split(sep).join('/');
      return key.startsWith(prefix) ? [{ key, path: join(start, name) }] : [];
    });
    // Sizes are read concurrently: a day's partition holds thousands of per-ticker objects.
    const limit = pLimit(64);
    const infos = await Promise.all(candidates.map((c) => limit(() => stat(c.path).catch(() => undefined))));
    const out: ObjectInfo[] = [];
    candidates.forEach((c, i) => {
      const info = infos[i];
      if (info?.isFile()) out.push({ key: c.key, size: info.size, modified: info.mtime });
    });
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(keys: readonly string[]): Promise<void> {
    // unlink, not rm: one system call per key (rm's rimraf lstat-s first), and most keys a
    // compaction deletes were never written to disk (they were staged in memory).
    await Promise.all(
      keys.map((key) =>
        unlink(this.path(key)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        }),
      ),
    );
  }

  /** Removes temporary files left by a killed process (older than `olderThanMs`). */
  async sweepTemporaryFiles(olderThanMs = 60_000): Promise<number> {
    const names = (
      (await readdir(this.root, { recursive: true, encoding: 'utf8' }).catch(() => [])) as string[]
    ).filter(isTemporaryName);
    let removed = 0;
    for (const name of names) {
      const path = join(this.root, name);
      const info = await stat(path).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > olderThanMs) {
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }

  private path(key: string): string {
    return join(this.root, ...assertSafeKey(key).split('/'));
  }
}
