#!/usr/bin/env node
// Bundles the b3lake CLI into one CommonJS file (dist/apps/cli/main.cjs) with esbuild.
// DuckDB stays external (native binary); the IBOV refine SQL is copied beside the bundle.
import { build } from 'esbuild';
import { chmodSync, cpSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

const out = resolve('dist/apps/cli');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ['apps/cli/src/main.ts'],
  outfile: `${out}/main.cjs`,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  tsconfig: 'tsconfig.base.json',
  external: ['@duckdb/node-api'],
  sourcemap: 'linked',
  logLevel: 'warning',
});
chmodSync(`${out}/main.cjs`, 0o755);
cpSync('libs/pipeline/src/sql', `${out}/sql`, { recursive: true });
console.log('built dist/apps/cli/main.cjs');
