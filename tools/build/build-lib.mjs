#!/usr/bin/env node
// Builds a publishable library: ESM (index.js) + CJS (index.cjs) + declarations + package.json.
// ESM keeps every dependency external. CJS inlines the ESM-only ones (p-limit), so `require`
// works on every Node version the package supports.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const [projectRoot, outDir] = process.argv.slice(2);
if (!projectRoot || !outDir) {
  console.error('usage: node tools/build/build-lib.mjs <project root> <out dir>');
  process.exit(2);
}
const root = resolve(projectRoot);
const out = resolve(outDir);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const deps = Object.keys(pkg.dependencies ?? {});
const require = createRequire(join(root, 'package.json'));

/** Finds a dependency's package.json by walking up node_modules (its exports may hide it). */
function manifestOf(name) {
  for (let dir = root; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return JSON.parse(readFileSync(candidate, 'utf8'));
    if (dirname(dir) === dir) throw new Error(`dependency ${name} is not installed`);
  }
}

function isEsmOnly(name) {
  const manifest = manifestOf(name);
  const exportsText = JSON.stringify(manifest.exports ?? {});
  return manifest.type === 'module' && !exportsText.includes('"require"');
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const esmOnly = deps.filter(isEsmOnly);
const external = (list) => list.flatMap((d) => [d, `${d}/*`]);
const common = {
  entryPoints: [join(root, 'src/index.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
};

await build({ ...common, format: 'esm', outfile: join(out, 'index.js'), external: external(deps) });
await build({
  ...common,
  format: 'cjs',
  outfile: join(out, 'index.cjs'),
  external: external(deps.filter((d) => !esmOnly.includes(d))),
});

// Declarations are emitted from the workspace root, so that workspace libraries the package
// imports through tsconfig.base.json paths (data-only @b3lake/columns, whose code esbuild inlined
// above) are declared too: under _workspace/, with the import specifiers made relative.
const workspace = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const declarations = mkdtempSync(join(tmpdir(), 'b3lake-dts-'));
execFileSync(
  process.execPath,
  [
    require.resolve('typescript/bin/tsc'),
    '-p',
    join(root, 'tsconfig.lib.json'),
    '--emitDeclarationOnly',
    '--declaration',
    '--declarationMap',
    'false',
    '--sourceMap',
    'false',
    '--rootDir',
    workspace,
    '--outDir',
    declarations,
  ],
  { stdio: 'inherit' },
);
const ownSrc = relative(workspace, join(root, 'src'));
cpSync(join(declarations, ownSrc), out, { recursive: true });
for (const file of readdirSync(declarations, { recursive: true, encoding: 'utf8' })) {
  if (!file.endsWith('.d.ts') || file.startsWith(ownSrc)) continue;
  mkdirSync(dirname(join(out, '_workspace', file)), { recursive: true });
  copyFileSync(join(declarations, file), join(out, '_workspace', file));
}
rmSync(declarations, { recursive: true, force: true });
const aliases = Object.entries(
  JSON.parse(readFileSync(join(workspace, 'tsconfig.base.json'), 'utf8')).compilerOptions.paths,
)
  .map(([alias, [target]]) => [alias, join(out, '_workspace', relative(workspace, resolve(workspace, target)))])
  .filter(([, target]) => existsSync(target.replace(/\.ts$/, '.d.ts')));
for (const file of readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.d.ts'))) {
  const path = join(out, file);
  let text = readFileSync(path, 'utf8');
  for (const [alias, target] of aliases) {
    const spec = relative(dirname(path), target.replace(/\.ts$/, '.js')).replaceAll('\\', '/');
    const quoted = new RegExp(`(['"])${alias.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\1`, 'g');
    text = text.replace(quoted, (_m, q) => `${q}${spec.startsWith('.') ? spec : `./${spec}`}${q}`);
  }
  writeFileSync(path, text);
}

// Node16/NodeNext consumers need explicit extensions in ESM declaration files (imports and import types).
for (const file of readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.d.ts'))) {
  const path = join(out, file);
  const text = readFileSync(path, 'utf8').replace(
    /((?:from\s+|import\()['"])(\.{1,2}\/[^'"]+?)(['"])/g,
    (_m, a, spec, b) =>
      spec.endsWith('.js')
        ? `${a}${spec}${b}`
        : `${a}${spec}${existsSync(join(dirname(path), `${spec}.d.ts`)) ? '.js' : '/index.js'}${b}`,
  );
  writeFileSync(path, text);
}

const published = { ...pkg };
delete published.devDependencies;
writeFileSync(join(out, 'package.json'), JSON.stringify(published, null, 2) + '\n');
for (const file of ['README.md', 'LICENSE']) {
  const from = existsSync(join(root, file)) ? join(root, file) : resolve(file);
  if (existsSync(from)) copyFileSync(from, join(out, file));
}
const inlined = esmOnly.length ? ` with ${esmOnly.join(', ')} inlined` : '';
console.log(`built ${pkg.name}@${pkg.version} → ${outDir} (ESM, CJS${inlined}, .d.ts)`);
