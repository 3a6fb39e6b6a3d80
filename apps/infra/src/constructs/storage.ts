import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectOwnership,
  StorageClass,
  type LifecycleRule,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Layer } from '@b3lake/lake';

export type BucketRole = Layer | 'athenaResults' | 'accessLogs';

/**
 * The buckets: landing (raw pages), sor, sot, spec, refined, athena-results, access-logs. All
 * block public access, enforce TLS and encrypt at rest; names are generated, so two stages fit
 * one account. Data buckets are retained on stack deletion (the lake outlives the stack).
 */
export class Storage extends Construct {
  readonly buckets: Record<BucketRole, Bucket>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const common = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    };
    const accessLogs = new Bucket(this, 'AccessLogs', {
      ...common,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket; logging it into itself would loop.',
    });
    const bucket = (name: string, lifecycle: LifecycleRule[]) =>
      new Bucket(this, name, {
        ...common,
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: `${name}/`,
        lifecycleRules: lifecycle,
      });
    this.buckets = {
      accessLogs,
      // Raw pages are only re-read by `reprocess`; after 90 days they move to infrequent access.
      landing: bucket('Landing', [
        { transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) }] },
      ]),
      sor: bucket('Sor', [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }]),
      sot: bucket('Sot', [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }]),
      spec: bucket('Spec', [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }]),
      refined: bucket('Refined', [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }]),
      // Query results are disposable.
      athenaResults: bucket('AthenaResults', [{ expiration: Duration.days(30) }]),
    };
  }
}
