import { Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/**
 * One SNS topic per stage that everything which can fail without a caller tells: DLQ alarms,
 * finalize workflow failures and time-outs, failed asynchronous invocations, Glue job failures.
 * An e-mail subscription is added when the CDK context `notifyEmail` is set.
 */
export class Alerts extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: { stage: string; email?: string }) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: `b3lake ${props.stage} alerts`, enforceSSL: true });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alerts carry resource names and error messages, nothing secret; ' +
        'CloudWatch alarms and EventBridge cannot publish to a topic encrypted with the AWS-managed SNS key, ' +
        'and a customer key per stage would cost more than the data it protects.',
    });
  }

  /** Sends the alarm's state changes to ALARM to the topic. */
  notifyOn(alarm: Alarm): void {
    alarm.addAlarmAction(new SnsAction(this.topic));
  }

  /** Glue publishes job state changes to EventBridge; failures of this job go to the topic. */
  notifyOnGlueJobFailure(jobName: string): Rule {
    return new Rule(this, 'GlueJobFailed', {
      description: `b3lake: ${jobName} ended without success`,
      eventPattern: {
        source: ['aws.glue'],
        detailType: ['Glue Job State Change'],
        detail: { jobName: [jobName], state: ['FAILED', 'TIMEOUT', 'STOPPED', 'ERROR'] },
      },
      targets: [new SnsTopic(this.topic)],
    });
  }
}
