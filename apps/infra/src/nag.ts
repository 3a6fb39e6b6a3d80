import { CfnResource, Stack, Token, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { TABLES } from '@b3lake/lake';

/**
 * cdk-nag acknowledgements, each with its reason. cdk-nag v3 matches a finding by its exact id
 * (`AwsSolutions-IAM5[Resource::<Bucket.Arn>/prefix/*]`), so the prefix-scoped grants are
 * listed from the same bucket and table names the grants use.
 */
export function acknowledgeFindings(stack: Stack, buckets: Record<string, Bucket>, invoked: IFunction[] = []): void {
  const ack = (scope: IConstruct, id: string, reason: string) => Validations.of(scope).acknowledge({ id, reason });
  const arnOf = (bucket: Bucket) => `<${stack.getLogicalId(bucket.node.defaultChild as CfnResource)}.Arn>`;
  const prefixes = [
    ...TABLES.map((t) => `${t.name}/*`),
    'fundamentus/*',
    'fundamentus-proventos/*',
    'b3/*',
    'cotahist/*',
  ];
  for (const bucket of Object.values(buckets)) {
    for (const prefix of prefixes) {
      ack(
        stack,
        `AwsSolutions-IAM5[Resource::${arnOf(bucket)}/${prefix}]`,
        'Object access is scoped to one table prefix (or the landing prefix) of the bucket, ' +
          'the narrowest unit a step works on.',
      );
    }
  }
  for (const action of [
    's3:GetObject*',
    's3:GetBucket*',
    's3:List*',
    's3:DeleteObject*',
    's3:Abort*',
    's3:PutObject*',
  ]) {
    ack(
      stack,
      `AwsSolutions-IAM5[Action::${action}]`,
      'Action families from CDK grant helpers (grantRead/grantPut/grantDelete), ' +
        'applied only to the prefix-scoped resources above.',
    );
  }
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  ack(
    stack,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${account}-${region}/*]`,
    'The Glue job reads its script and SQL from the CDK assets bucket (asset keys are content hashes).',
  );
  ack(
    stack,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${region}:${account}:log-group:/aws-glue/*]`,
    'Glue writes job logs to log groups it names under /aws-glue/.',
  );
  ack(
    stack,
    'AwsSolutions-IAM5[Resource::*]',
    'X-Ray tracing and Step Functions log delivery only accept Resource "*" (checked by iam.spec.ts).',
  );
  ack(
    stack,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'Basic execution role (write own logs) for the functions and CDK’s bucket-notification handler; ' +
      'log groups are explicit.',
  );

  for (const fn of invoked) {
    ack(
      stack,
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(fn.node.defaultChild as CfnResource)}.Arn>:*]`,
      'Step Functions and EventBridge Scheduler may invoke any version of this one function (CDK grant).',
    );
  }
  const handler = stack.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
  if (handler)
    ack(
      handler,
      'AwsSolutions-L1',
      'CDK-managed custom resource handler for S3 notifications; CDK chooses its runtime.',
    );
}
