import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { testStage } from './test-app';

const stack = testStage('dev').stack;

/** The only actions AWS accepts solely on Resource "*". */
const STAR_ONLY = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets', // X-Ray has no resource-level permissions
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries', // Step Functions log delivery
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
}

function statements(): { where: string; statement: Statement }[] {
  const out: { where: string; statement: Statement }[] = [];
  type Doc = { Statement: Statement[] };
  for (const [id, r] of Object.entries<{
    Type: string;
    Properties: { PolicyDocument?: Doc; Policies?: { PolicyDocument: Doc }[] };
  }>(Template.fromStack(stack).toJSON()['Resources'])) {
    const docs: Doc[] =
      r.Type === 'AWS::IAM::Policy' && r.Properties.PolicyDocument
        ? [r.Properties.PolicyDocument]
        : r.Type === 'AWS::IAM::Role'
          ? (r.Properties.Policies ?? []).map((p) => p.PolicyDocument)
          : [];
    for (const doc of docs) for (const statement of doc.Statement) out.push({ where: id, statement });
  }
  return out;
}

describe('security', () => {
  it('passes cdk-nag AwsSolutions with every remaining finding acknowledged in code', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(
      report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`),
    ).toEqual([]);
  });

  it('grants no "*" or "service:*" action', () => {
    const bad = statements().flatMap(({ where, statement }) =>
      ([] as string[])
        .concat(statement.Action)
        .filter((a) => a === '*' || /^[a-z0-9-]+:\*$/.test(a))
        .map((a) => `${where}: ${a}`),
    );
    expect(bad).toEqual([]);
  });

  it('uses Resource "*" only for the actions AWS requires it for', () => {
    const bad = statements()
      .filter(
        ({ statement }) =>
          statement.Resource === '*' || (Array.isArray(statement.Resource) && statement.Resource.includes('*')),
      )
      .flatMap(({ where, statement }) =>
        ([] as string[])
          .concat(statement.Action)
          .filter((a) => !STAR_ONLY.has(a))
          .map((a) => `${where}: ${a}`),
      );
    expect(bad).toEqual([]);
  });

  it('scopes object access of the step functions to table prefixes, never whole buckets', () => {
    const objectStatements = statements().filter(
      ({ where, statement }) =>
        /Functions/.test(where) &&
        ([] as string[]).concat(statement.Action).some((a) => /^s3:(Get|Put|Delete)Object/.test(a)),
    );
    expect(objectStatements.length).toBeGreaterThan(0);
    const wholeBucket = objectStatements.flatMap(({ where, statement }) =>
      ([] as unknown[])
        .concat(statement.Resource)
        .map((r) => JSON.stringify(r))
        .filter((r) => r.endsWith('"Arn"]},"/*"]]}'))
        .map((r) => `${where}: ${r}`),
    );
    expect(wholeBucket).toEqual([]);
    const prefixed = objectStatements.flatMap(({ statement }) =>
      ([] as unknown[])
        .concat(statement.Resource)
        .map((r) => JSON.stringify(r))
        .filter((r) => r.includes('/')),
    );
    for (const r of prefixed) expect(r).toMatch(/\/(tb[a-z_0-9]+|fundamentus|fundamentus-proventos|b3|cotahist)\/\*/);
  });
});
