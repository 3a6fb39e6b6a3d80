import { App } from 'aws-cdk-lib';
import { B3lakeStage } from './stage';

/** The app as tests see it: bundling skipped (no esbuild per synth), a fixed account and region. */
export function testStage(stage = 'dev', options: { envAgnostic?: boolean } = {}): B3lakeStage {
  process.env['CDK_VALIDATION'] = 'false';
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const env = options.envAgnostic ? undefined : { account: '123456789012', region: 'sa-east-1' };
  return new B3lakeStage(app, `b3lake-${stage}`, { stage, env });
}
