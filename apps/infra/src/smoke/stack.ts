import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CheckFailure } from './output';
import { OUTPUT_NAMES, stackName, type SmokeContext, type StackOutputs } from './context';

/** Statuses in which the stack's resources are in place (an update rolled back keeps the old ones). */
const USABLE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
]);

/** Check 1: the stack of the stage exists, is usable, and has every output the other checks need. */
export async function findStack(ctx: SmokeContext): Promise<{ outputs: StackOutputs; detail: string }> {
  const { stage, region } = ctx.options;
  const name = stackName(stage);
  const deployCommand = `nx run infra:deploy${stage === 'dev' ? '' : ` -- --context stage=${stage}`}`;
  const deployHint =
    `deploy first (\`${deployCommand}\`), or check --stage, --region${region ? '' : ' (or AWS_REGION)'} ` +
    'and that your credentials are for the account you deployed to';
  let stack;
  try {
    stack = (await ctx.clients.cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
  } catch (err) {
    if (err instanceof Error && /does not exist/.test(err.message))
      throw new CheckFailure(`stack ${name} not found${region ? ` in ${region}` : ''}`, deployHint);
    throw err;
  }
  if (!stack) throw new CheckFailure(`stack ${name} not found${region ? ` in ${region}` : ''}`, deployHint);
  const status = stack.StackStatus ?? 'UNKNOWN';
  if (!USABLE.has(status)) {
    const busy = status.endsWith('_IN_PROGRESS');
    throw new CheckFailure(
      `stack ${name} is ${status}${stack.StackStatusReason ? `: ${stack.StackStatusReason}` : ''}`,
      busy
        ? 'a deployment is under way; run the smoke check when it has finished'
        : 'see the stack events in the CloudFormation console, fix, and deploy again',
    );
  }
  const found = new Map((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
  const missing = OUTPUT_NAMES.filter((n) => !found.get(n));
  if (missing.length)
    throw new CheckFailure(
      `stack ${name} lacks output(s) ${missing.join(', ')}`,
      'the stack was deployed from an older version of apps/infra: deploy again',
    );
  const outputs = Object.fromEntries(OUTPUT_NAMES.map((n) => [n, found.get(n) as string])) as StackOutputs;
  return {
    outputs,
    detail:
      `${name} ${status}, ${OUTPUT_NAMES.length} outputs ` +
      `(workgroup ${outputs.AthenaWorkGroup}, job ${outputs.RefineJobName})`,
  };
}
