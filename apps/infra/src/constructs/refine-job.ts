import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import { CfnJob, CfnSecurityConfiguration } from 'aws-cdk-lib/aws-glue';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { stagedNames, table } from '@b3lake/lake';
import { WORKSPACE } from './functions';

/** Path of the refine SQL the Glue job runs: the same file DuckDB runs locally. */
export const REFINE_SQL = join(WORKSPACE, 'libs', 'pipeline', 'src', 'sql', 'ibov_refine.sql');
export const REFINE_SCRIPT = join(WORKSPACE, 'apps', 'infra', 'glue', 'ibov_refine_job.py');

/** Keys Spark on Glue touches for a table prefix: the prefix itself, its folder marker and everything under it. */
export function emrfsKeys(prefix: string): string[] {
  return [prefix, `${prefix}_$folder$`, `${prefix}/*`];
}

/** The Glue ETL (Spark) job that runs ibov_refine.sql over one raw day into REFINED. */
export class RefineJob extends Construct {
  readonly job: CfnJob;
  readonly jobName: string;
  readonly sqlAsset: Asset;

  constructor(scope: Construct, id: string, props: { stage: string; buckets: { sor: Bucket; refined: Bucket } }) {
    super(scope, id);
    const stack = Stack.of(this);
    this.jobName = `b3lake-${props.stage}-ibov-refine`;
    const script = new Asset(this, 'Script', { path: REFINE_SCRIPT });
    this.sqlAsset = new Asset(this, 'Sql', { path: REFINE_SQL });
    const raw = table('ibov_raw');
    const refined = table('ibov_refined');
    const refinedNames = stagedNames(refined, props.stage);

    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('glue.amazonaws.com'),
      description: 'b3lake IBOV refine job',
    });
    script.grantRead(role);
    this.sqlAsset.grantRead(role);
    // Spark on Glue (EMRFS) also reads the table's own key and writes `<table>_$folder$` markers.
    for (const pattern of emrfsKeys(raw.name)) props.buckets.sor.grantRead(role, pattern);
    for (const pattern of emrfsKeys(refined.name)) {
      props.buckets.refined.grantReadWrite(role, pattern);
      props.buckets.refined.grantDelete(role, pattern);
    }
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        // Partitions of the refined table: register the day's tickers, drop tickers that left the index.
        actions: ['glue:GetTable', 'glue:GetPartitions', 'glue:BatchCreatePartition', 'glue:BatchDeletePartition'],
        resources: [
          stack.formatArn({ service: 'glue', resource: 'catalog' }),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: refinedNames.database }),
          stack.formatArn({
            service: 'glue',
            resource: 'table',
            resourceName: `${refinedNames.database}/${refinedNames.name}`,
          }),
        ],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [
          stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: '/aws-glue/*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );

    const security = new CfnSecurityConfiguration(this, 'Security', {
      name: `b3lake-${props.stage}-glue`,
      encryptionConfiguration: {
        s3Encryptions: [{ s3EncryptionMode: 'SSE-S3' }],
        cloudWatchEncryption: { cloudWatchEncryptionMode: 'DISABLED' },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'DISABLED' },
      },
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-GL1',
      reason:
        'Job logs hold only row counts and partition names of public market data; ' +
        'KMS for CloudWatch would add a key per stage for nothing secret.',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-GL3',
      reason: 'The job does not use bookmarks (each run rewrites one date).',
    });

    this.job = new CfnJob(this, 'Job', {
      name: this.jobName,
      role: role.roleArn,
      glueVersion: '4.0',
      workerType: 'G.1X',
      numberOfWorkers: 2, // ~90 rows a day: the smallest Spark job Glue allows.
      timeout: 15,
      maxRetries: 1,
      // Runs of one date must not overlap (both rewrite date=D); start-refine-job waits for the active run.
      executionProperty: { maxConcurrentRuns: 1 },
      securityConfiguration: security.name,
      command: { name: 'glueetl', pythonVersion: '3', scriptLocation: script.s3ObjectUrl },
      defaultArguments: {
        '--raw_path': `s3://${props.buckets.sor.bucketName}/${raw.name}/`,
        '--refined_path': `s3://${props.buckets.refined.bucketName}/${refined.name}/`,
        '--sql_s3_uri': this.sqlAsset.s3ObjectUrl,
        '--database': refinedNames.database,
        '--table': refinedNames.name,
        '--enable-continuous-cloudwatch-log': 'true',
        '--job-language': 'python',
      },
    });
    this.job.addResourceDependency(security);
  }
}
