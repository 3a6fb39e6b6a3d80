/** Child processes of the COTAHIST lake benchmarks, bundled as the CLI is bundled. */
import { execFileSync } from 'node:child_process';
import { basename, join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = resolve(__dirname, '../..');

/**
 * `entry` bundled as tools/build/build-cli.mjs bundles the CLI (esbuild, one CommonJS file, DuckDB's
 * native package external) into dist/tools/bench: a child process running it starts and weighs
 * what `b3lake` would, not node + tsx (about 50 MB of peak RSS and a second of start-up more).
 */
export function bundled(entry: string): string {
  const build = (from: string, name: string) => {
    const outfile = join(ROOT, 'dist/tools/bench', `${name}.cjs`);
    buildSync({
      entryPoints: [from],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      tsconfig: join(ROOT, 'tsconfig.base.json'),
      external: ['@duckdb/node-api', '@duckdb/node-bindings', 'esbuild', 'tsx/cjs'],
      logLevel: 'warning',
    });
    return outfile;
  };
  // The DuckDB writer's worker thread, beside the bundle as the CLI's build puts it.
  build(join(ROOT, 'libs/lake/src/lib/duckdb/fixed-width-worker.ts'), 'fixed-width-worker');
  return build(entry, basename(entry, '.ts'));
}

/** Runs `script ...args` in a fresh node; its last stdout line parsed as JSON, and the process's wall time. */
export function runChild<T>(script: string, args: string[]): { figures: T; wallSeconds: number } {
  const start = process.hrtime.bigint();
  const out = execFileSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { figures: JSON.parse(out.trim().split('\n').pop() ?? '{}') as T, wallSeconds };
}
