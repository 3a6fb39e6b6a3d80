#!/usr/bin/env node
// Bundles the b3lake CLI into one CommonJS file (dist/apps/cli/main.cjs) with esbuild.
// DuckDB stays external (native binary); the IBOV refine SQL is copied beside the bundle, and the
// DuckDB fixed-width writer's worker thread is bundled beside it (fixed-width-worker.cjs).
import { build } from 'esbuild';
import { chmodSync, cpSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

const out = resolve('dist/apps/cli');
mkdirSync(out, { recursive: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  tsconfig: 'tsconfig.base.json',
  // tsx/cjs: only resolved (never loaded) by a bundle, for the worker's TypeScript outside one.
  external: ['@duckdb/node-api', '@duckdb/node-bindings', 'tsx/cjs'],
  sourcemap: 'linked',
  logLevel: 'warning',
};
await build({ ...common, entryPoints: ['apps/cli/src/main.ts'], outfile: `${out}/main.cjs` });
await build({
  ...common,
  entryPoints: ['libs/lake/src/lib/duckdb/fixed-width-worker.ts'],
  outfile: `${out}/fixed-width-worker.cjs`,
});
chmodSync(`${out}/main.cjs`, 0o755);
cpSync('libs/pipeline/src/sql', `${out}/sql`, { recursive: true });
console.log('built dist/apps/cli/main.cjs');
