import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SmokeOptions } from './args';
import type { Reporter } from './output';
import type { Clock } from './poll';

/** Stack outputs the smoke check reads (CfnOutput ids in apps/infra/src/stack.ts). */
export const OUTPUT_NAMES = [
  'BucketLanding',
  'BucketSor',
  'BucketSot',
  'BucketSpec',
  'BucketRefined',
  'QueueAcoesUrl',
  'QueueFiisUrl',
  'DlqAcoesUrl',
  'DlqFiisUrl',
  'FinalizeStateMachineArn',
  'AthenaWorkGroup',
  'RefineJobName',
] as const;

export type OutputName = (typeof OUTPUT_NAMES)[number];
export type StackOutputs = Record<OutputName, string>;

export interface SmokeClients {
  cfn: CloudFormationClient;
  sqs: SQSClient;
  s3: S3Client;
  athena: AthenaClient;
  glue: GlueClient;
}

export function createClients(region?: string): SmokeClients {
  const config = region ? { region } : {};
  return {
    cfn: new CloudFormationClient(config),
    sqs: new SQSClient(config),
    s3: new S3Client(config),
    athena: new AthenaClient(config),
    glue: new GlueClient(config),
  };
}

/** Poll intervals; the timeout is the options' `timeoutMs`. */
export interface PollIntervals {
  objectsMs: number;
  athenaMs: number;
  glueMs: number;
}

export const DEFAULT_INTERVALS: PollIntervals = { objectsMs: 10_000, athenaMs: 1_000, glueMs: 15_000 };

export interface SmokeContext {
  options: SmokeOptions;
  clients: SmokeClients;
  clock: Clock;
  intervals: PollIntervals;
  out: Reporter;
}

/** The stack name of a stage (apps/infra/src/stage.ts). */
export const stackName = (stage: string) => `b3lake-${stage}`;
