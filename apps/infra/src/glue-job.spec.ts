import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { IBOV_REFINE_SQL_PATH } from '@b3lake/pipeline';
import { REFINE_SCRIPT, REFINE_SQL } from './constructs/refine-job';
import { B3lakeStage } from './stage';

describe('Glue refine job', () => {
  it('has a script that compiles (python3 -m py_compile)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'b3lake-pyc-'));
    try {
      expect(() =>
        execFileSync(
          'python3',
          [
            '-c',
            `import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)`,
            REFINE_SCRIPT,
            join(dir, 'job.pyc'),
          ],
          { stdio: 'pipe' },
        ),
      ).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('deploys the SQL file DuckDB runs locally, byte for byte', () => {
    expect(REFINE_SQL).toBe(IBOV_REFINE_SQL_PATH);
    const outdir = mkdtempSync(join(tmpdir(), 'b3lake-cdkout-'));
    try {
      process.env['CDK_VALIDATION'] = 'false';
      const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
      const stage = new B3lakeStage(app, 'b3lake-dev', {
        stage: 'dev',
        env: { account: '123456789012', region: 'sa-east-1' },
      });
      app.synth();
      const staged = join(stage.outdir, stage.stack.refineJob.sqlAsset.assetPath);
      expect(readFileSync(staged)).toEqual(readFileSync(IBOV_REFINE_SQL_PATH));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
