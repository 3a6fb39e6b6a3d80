// Synthesizes the real CDK app (apps/infra/bin/main.ts, stage "box") with its Lambda bundles,
// exactly as `cdk synth` does, into dist/cloud-box/cdk.out for the cloud-in-a-box specs.
const { execFileSync } = require('node:child_process');
const { rmSync } = require('node:fs');
const { join } = require('node:path');

module.exports = async () => {
  const workspace = join(__dirname, '..', '..');
  const outdir = join(workspace, 'dist', 'cloud-box', 'cdk.out');
  rmSync(outdir, { recursive: true, force: true });
  const started = Date.now();
  execFileSync(
    process.execPath,
    [
      join(workspace, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      '--tsconfig',
      'tsconfig.base.json',
      'apps/infra/bin/main.ts',
    ],
    {
      cwd: workspace,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({ stage: 'box' }),
        CDK_DEFAULT_ACCOUNT: '123456789012',
        CDK_DEFAULT_REGION: 'sa-east-1',
      },
    },
  );
  process.stderr.write(
    `cloud-box: synthesized the CDK app (stage "box") with its Lambda bundles in ${Date.now() - started} ms\n`,
  );
};
