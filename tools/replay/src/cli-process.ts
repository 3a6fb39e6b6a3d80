import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const WORKSPACE = resolve(__dirname, '../../..');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Run the bundle `npm start` runs (dist/apps/cli/main.cjs) instead of the TypeScript sources. */
  bundled?: boolean;
  /** Pass stdout/stderr through instead of capturing them. */
  inherit?: boolean;
}

/** Starts the real `b3lake` command as a child process of the workspace. */
export function startCli(args: string[], options: CliOptions = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const entry = options.bundled ? ['dist/apps/cli/main.cjs'] : ['--import', 'tsx', 'apps/cli/src/main.ts'];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: WORKSPACE,
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.base.json', FORCE_COLOR: '0' },
    stdio: options.inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<CliResult>((resolveDone) =>
    child.on('close', (code, signal) => resolveDone({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

export function cli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}
