/**
 * `nx run infra:deploy|diff|destroy` must select the stack the app synthesizes inside its Stage
 * (`cdk deploy --all` selects only top-level stacks: "No stack found"). Each target's own cdk
 * command runs against the synthesized assembly with fake credentials and every AWS endpoint on
 * 127.0.0.1 (the box endpoint answers STS and refuses the rest), and must reach the stack.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEndpoint, type BoxEndpoint } from './aws-endpoint';
import { BOX_CDK_OUT, WORKSPACE } from './cloud';
import { GlueEmulator } from './glue';

jest.setTimeout(120_000);

const project = JSON.parse(readFileSync(join(WORKSPACE, 'apps', 'infra', 'project.json'), 'utf8')) as {
  targets: Record<string, { options: { command: string; cwd: string } }>;
};
let endpoint: BoxEndpoint;

beforeAll(async () => {
  endpoint = await startEndpoint({
    principalOf: () => undefined,
    authorize: () => undefined,
    queues: () => [],
    glue: new GlueEmulator(),
    onObjectCreated: () => undefined,
  });
});
afterAll(() => endpoint.stop());

/**
 * The target's command as `nx run infra:<target>` runs it, on the box's assembly (and `--force` where a TTY
 * would confirm).
 */
function runTarget(target: string, extra: string[] = []): Promise<string> {
  const { command, cwd } = project.targets[target].options;
  expect(command).toMatch(/^cdk /);
  const line = `npx ${command} --app ${BOX_CDK_OUT} ${extra.join(' ')}`;
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', line],
      {
        cwd: join(WORKSPACE, cwd),
        timeout: 90_000,
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: process.env['HOME'] ?? '/tmp',
          AWS_ACCESS_KEY_ID: 'AKIAFAKEFORTESTS',
          AWS_SECRET_ACCESS_KEY: 'fake',
          AWS_REGION: 'sa-east-1',
          AWS_ENDPOINT_URL: endpoint.url,
          AWS_EC2_METADATA_DISABLED: 'true',
          CDK_DISABLE_CLI_TELEMETRY: 'true',
        },
      },
      (_error, stdout, stderr) => resolve(`${stdout}\n${stderr}`),
    );
  });
}

const stackCalls = (operation: string) =>
  endpoint.calls.filter(
    (c) => c.service === 'cloudformation' && c.operation === operation && c.input['StackName'] === 'b3lake-box',
  );

describe('infra deploy, diff and destroy targets', () => {
  it('diff compares the staged stack', async () => {
    const out = await runTarget('diff');
    expect(out).not.toMatch(/No stack found/);
    expect(out).toContain('Stack with id b3lake-box does not exist');
    expect(stackCalls('DescribeStacks').length).toBeGreaterThan(0);
  });

  it('destroy selects the staged stack', async () => {
    const out = await runTarget('destroy', ['--force']);
    expect(out).not.toMatch(/No stack found/);
    expect(out).toContain('b3lake-box/B3lake (b3lake-box): destroying');
  });

  it('deploy selects the staged stack and starts publishing its assets', async () => {
    const out = await runTarget('deploy');
    expect(out).not.toMatch(/No stack found/);
    expect(out).toContain('b3lake-box');
    const assetBucket = endpoint.calls.filter(
      (c) => c.service === 's3' && c.input['Bucket'] === 'cdk-hnb659fds-assets-123456789012-sa-east-1',
    );
    expect(assetBucket.length).toBeGreaterThan(0);
  });
});
