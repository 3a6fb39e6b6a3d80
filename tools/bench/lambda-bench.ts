/**
 * nx run bench:lambda — the Lambda bundles CDK synthesizes (dist/apps/infra/cdk.out, built by
 * `nx run infra:synth` first): minified size per function (target ≤ 1 MB, DuckDB and CDK
 * absent) and cold init, `node -e "require(bundle)"` against a bare `node -e 0` (target ≤ 2×).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const WORKSPACE = resolve(__dirname, '../..');
const OUT = join(WORKSPACE, 'dist/apps/infra/cdk.out');
const RUNS = Number(process.env['BENCH_RUNS'] ?? 15);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function coldStart(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd: WORKSPACE, stdio: 'pipe' });
    if (result.status !== 0)
      throw new Error(`node ${args.join(' ')} failed: ${result.stderr.toString().slice(0, 300)}`);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

execFileSync('npx', ['nx', 'run', 'infra:synth', '--outputStyle=static'], { cwd: WORKSPACE, stdio: 'ignore' });
const assembly = readdirSync(OUT).find((d) => d.startsWith('assembly-')) ?? '';
const templateFile = readdirSync(join(OUT, assembly)).find((f) => f.endsWith('.template.json')) ?? '';
const template = JSON.parse(readFileSync(join(OUT, assembly, templateFile), 'utf8')) as {
  Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string }; Handler?: string } }>;
};
const functions = Object.entries(template.Resources)
  .filter(
    ([, r]) =>
      r.Type === 'AWS::Lambda::Function' && r.Properties.Handler === 'index.handler' && r.Properties.Code?.S3Key,
  )
  .map(([id, r]) => ({
    name: id.replace(/^Functions/, '').replace(/[0-9A-F]{8}$/, ''),
    dir: join(OUT, `asset.${String(r.Properties.Code?.S3Key).replace(/\.zip$/, '')}`),
  }));

const bare = coldStart(['-e', '0']);
console.log(
  `Lambda bundles (minified, @aws-sdk/* from the Node.js runtime), cold init median of ${RUNS}; ` +
    `bare node -e 0 = ${bare.toFixed(0)} ms\n`,
);
console.log(`${'function'.padEnd(16)} ${'size'.padStart(9)}  ${'require'.padStart(8)}  ratio   duckdb/cdk inside`);
let worstSize = 0;
let worstRatio = 0;
for (const fn of functions) {
  const bundle = join(fn.dir, 'index.js');
  const size = statSync(bundle).size;
  const text = readFileSync(bundle, 'utf8');
  const forbidden = ['@duckdb/node-api', 'aws-cdk-lib'].filter(
    (m) => text.includes(`require("${m}`) || text.includes(`node_modules/${m}`),
  );
  const init = coldStart(['-e', `require(${JSON.stringify(bundle)})`]);
  worstSize = Math.max(worstSize, size);
  worstRatio = Math.max(worstRatio, init / bare);
  const kb = (size / 1024).toFixed(0).padStart(6);
  const ms = init.toFixed(0).padStart(5);
  const inside = forbidden.length ? forbidden.join(', ') : 'no';
  console.log(`${fn.name.padEnd(16)} ${kb} KB  ${ms} ms  ${(init / bare).toFixed(2)}×   ${inside}`);
}
console.log(
  `\nlargest bundle ${(worstSize / 1024).toFixed(0)} KB (target ≤ 1024 KB); ` +
    `worst cold-init ratio ${worstRatio.toFixed(2)}× (target ≤ 2×)`,
);
