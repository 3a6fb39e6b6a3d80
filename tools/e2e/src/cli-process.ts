import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { TABLES } from '@b3lake/lake';
import { DuckDbCatalog } from '@b3lake/lake/duckdb';

export const WORKSPACE = resolve(__dirname, '../../..');
export const FIXTURES = resolve(WORKSPACE, 'tools/fixtures');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the real `b3lake` command (apps/cli/src/main.ts through tsx) as a child process. */
export function startCli(args: string[]): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', ...args], {
    cwd: WORKSPACE,
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.base.json', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<CliResult>((resolveDone) => child.on('close', (code, signal) => resolveDone({ code, signal, stdout, stderr })));
  return { child, done };
}

export function cli(args: string[]): Promise<CliResult> {
  return startCli(args).done;
}

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
