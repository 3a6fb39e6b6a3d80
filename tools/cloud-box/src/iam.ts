import { runSimulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT, resolveValue, type CfnResource, type Physical } from './template';

/** One authorization AWS would make: who, which action, on which resource, with which context. */
export interface AwsRequest {
  /** Role ARN of the caller (each function, the state machine, the Glue job, the scheduler). */
  principal: string;
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  /** What made the call (for messages): `ExtractAcoes: PutObject`, `state machine: FinalizeAcoes`… */
  via: string;
}

type PolicyDocument = { Version?: string; Statement: unknown[] };

/**
 * The template's IAM, evaluated with @cloud-copilot/iam-simulate: identity policies per role
 * (inline `AWS::IAM::Policy` and role `Policies`) and resource policies (bucket, queue and
 * topic policies, which deny plain-HTTP access: requests are evaluated as TLS, as AWS SDKs send them).
 */
export class IamModel {
  private readonly identity = new Map<string, { name: string; policy: PolicyDocument }[]>();
  private readonly resourcePolicies: { matches: (arn: string) => boolean; policy: PolicyDocument }[] = [];

  constructor(resources: Record<string, CfnResource>, ids: Map<string, Physical>) {
    const roleArn = (roleRef: string) => ids.get(roleRef)?.attrs['Arn'] ?? roleRef;
    const add = (arn: string, name: string, policy: PolicyDocument) =>
      this.identity.set(arn, [...(this.identity.get(arn) ?? []), { name, policy }]);
    for (const [id, r] of Object.entries(resources)) {
      if (r.Type === 'AWS::IAM::Role') {
        for (const p of r.Properties['Policies'] ?? [])
          add(roleArn(id), `${id}/${p.PolicyName}`, resolveValue(p.PolicyDocument, ids));
        if (!this.identity.has(roleArn(id))) this.identity.set(roleArn(id), []);
      }
      if (r.Type === 'AWS::IAM::Policy') {
        for (const role of r.Properties['Roles'] ?? [])
          add(roleArn(role.Ref), id, resolveValue(r.Properties['PolicyDocument'], ids));
      }
      if (r.Type === 'AWS::S3::BucketPolicy') {
        const bucket = resolveValue(r.Properties['Bucket'], ids);
        this.resourcePolicies.push({
          matches: (arn) => arn === `arn:aws:s3:::${bucket}` || arn.startsWith(`arn:aws:s3:::${bucket}/`),
          policy: resolveValue(r.Properties['PolicyDocument'], ids),
        });
      }
      if (r.Type === 'AWS::SQS::QueuePolicy' || r.Type === 'AWS::SNS::TopicPolicy') {
        const targets = (resolveValue(r.Properties['Queues'] ?? r.Properties['Topics'], ids) as string[]).map((t) =>
          t.startsWith('http') ? `arn:aws:sqs:sa-east-1:${ACCOUNT}:${t.split('/').pop()}` : t,
        );
        this.resourcePolicies.push({
          matches: (arn) => targets.includes(arn),
          policy: resolveValue(r.Properties['PolicyDocument'], ids),
        });
      }
    }
  }

  roles(): string[] {
    return [...this.identity.keys()];
  }

  /** Every request that the template's policies do not allow, with the simulator's verdict. */
  async denied(requests: readonly AwsRequest[]): Promise<{ request: AwsRequest; result: string }[]> {
    const seen = new Map<string, AwsRequest>();
    for (const r of requests) seen.set(JSON.stringify([r.principal, r.action, r.resource, r.context ?? {}]), r);
    const out: { request: AwsRequest; result: string }[] = [];
    for (const request of seen.values()) {
      const identityPolicies = this.identity.get(request.principal);
      if (!identityPolicies) {
        out.push({ request, result: `no role ${request.principal} in the template` });
        continue;
      }
      const resourcePolicy = this.resourcePolicies.find((p) => p.matches(request.resource))?.policy;
      const response = await runSimulation(
        {
          identityPolicies,
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: resourcePolicy as never,
          request: {
            principal: request.principal,
            action: request.action,
            resource: { resource: request.resource, accountId: ACCOUNT },
            contextVariables: {
              'aws:SecureTransport': 'true',
              'aws:PrincipalAccount': ACCOUNT,
              ...(request.context ?? {}),
            },
          },
        },
        {},
      );
      const result =
        (response as { overallResult?: string; errors?: unknown }).overallResult ??
        `simulation error ${JSON.stringify((response as { errors?: unknown }).errors)}`;
      if (result !== 'Allowed') out.push({ request, result });
    }
    return out;
  }
}
