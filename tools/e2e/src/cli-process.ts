import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TABLES } from '@b3lake/lake';
import { DuckDbCatalog } from '@b3lake/lake/duckdb';

import { WORKSPACE, startReplayServer, type ReplayOptions, type ReplayServer } from '@b3lake/replay';

export { cli, startCli } from '@b3lake/replay';
export const FIXTURES = resolve(WORKSPACE, 'tools/fixtures');

/**
 * Reads the lake the way `b3lake query` does (same catalog file and views), in-process to
 * save a process start per query; the catalog is closed again so the next CLI run can open it.
 */
export async function query<T = Record<string, unknown>>(dataDir: string, sql: string): Promise<T[]> {
  const catalog = await DuckDbCatalog.open(join(dataDir, 'catalog.duckdb'), join(dataDir, 'lake'));
  try {
    await catalog.refresh(TABLES);
    return (await catalog.query(sql)).rows as T[];
  } finally {
    catalog.close();
  }
}

/** The business date of the fixture pages. */
export const DATE = '2022-05-24';

/** Temporary lakes and one replay server at a time, cleaned up by `close()` (call it in afterAll). */
export function e2eSession(prefix: string) {
  let replay: ReplayServer | undefined;
  const dirs: string[] = [];
  return {
    dataDir(): string {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    async serve(options: Partial<ReplayOptions> = {}): Promise<ReplayServer> {
      await replay?.stop();
      replay = await startReplayServer({ fixturesDir: FIXTURES, retryAfterSeconds: 0, ...options });
      return replay;
    },
    /** Stops the server now (a step that must work with no network). */
    async stopServer(): Promise<void> {
      await replay?.stop();
      replay = undefined;
    },
    async close(): Promise<void> {
      await replay?.stop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `run` of one day against the replay server, polite interval off, short timeout. */
export function runArgs(dir: string, server: ReplayServer, extra: string[] = [], date = DATE): string[] {
  return [
    'run',
    '--date',
    date,
    '--data-dir',
    dir,
    '--fundamentus-url',
    server.url,
    '--b3-url',
    server.url,
    '--min-interval',
    '0',
    '--timeout',
    '1000',
    ...extra,
  ];
}
