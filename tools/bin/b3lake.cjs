#!/usr/bin/env node
// `npx b3lake …` from the repository: runs the bundled CLI (dist/apps/cli/main.cjs), building it
// first when it is missing or older than any source file, so a fresh clone works right after
// `npm install` and an edited checkout never runs stale code. The check is a stat of each source
// file (a few milliseconds); the build, when needed, about a second.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '../..');
const bundle = join(root, 'dist/apps/cli/main.cjs');
// Built with the bundle: the DuckDB fixed-width writer's worker thread.
const worker = join(root, 'dist/apps/cli/fixed-width-worker.cjs');
const SOURCES = ['apps/cli/src', 'libs', 'package.json', 'tools/build/build-cli.mjs'];

function newestSource() {
  let newest = 0;
  const visit = (path) => {
    const info = statSync(path, { throwIfNoEntry: false });
    if (!info) return;
    if (info.isDirectory()) {
      for (const name of readdirSync(path)) if (name !== 'node_modules') visit(join(path, name));
    } else newest = Math.max(newest, info.mtimeMs);
  };
  for (const source of SOURCES) visit(join(root, source));
  return newest;
}

const built = () => Math.min(...[bundle, worker].map((file) => statSync(file).mtimeMs));
if (!existsSync(bundle) || !existsSync(worker) || built() < newestSource()) {
  try {
    execFileSync(process.execPath, [join(root, 'tools/build/build-cli.mjs')], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch {
    console.error('b3lake: error: could not build the CLI (node tools/build/build-cli.mjs); run `npm install` first');
    process.exit(4);
  }
}
require(bundle);
