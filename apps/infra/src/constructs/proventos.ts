import { Duration, TimeZone } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke as ScheduleLambda } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { table, tablesWrittenBy } from '@b3lake/lake';
import type { Alerts } from './alerts';
import { PROVENTOS, PROVENTOS_LANDING } from './functions';
import type { BucketRole } from './storage';

/**
 * When the weekly dividend run is enqueued (America/Sao_Paulo): every weekday at 22:00, the list
 * function going on only on the last trading day of the week (Friday, or Thursday before a Good
 * Friday…) — the local run's `proventosDue`. 22:00 is after the day's listing (18:45, whose archived
 * pages it reads) and after any extraction (see PROVENTOS for the politeness between them).
 */
export const PROVENTOS_SCHEDULE = { hour: '22', minute: '0', weekDay: 'MON-FRI' } as const;

/** The event the schedule sends the list function. */
export const PROVENTOS_EVENT = { kind: 'proventos', weekly: true } as const;

/**
 * Dividend history on AWS: the weekly schedule → the list function (`{ kind: "proventos", weekly:
 * true }`: one job per ticker of the day's listings, stocks and FIIs) → the proventos queue (3
 * receives, then its DLQ, whose first message alarms the alerts topic) → the proventos function
 * (batches, partial failures, extract's politeness: PROVENTOS) → each ticker's history in
 * tbsot_fundamentus_proventos, its partition registered in Glue by the function.
 */
export class Proventos extends Construct {
  readonly queue: Queue;
  readonly dlq: Queue;
  readonly schedule: Schedule;

  constructor(
    scope: Construct,
    id: string,
    props: {
      stage: string;
      list: NodejsFunction;
      fn: NodejsFunction;
      buckets: Record<BucketRole, Bucket>;
      alerts: Alerts;
    },
  ) {
    super(scope, id);
    this.dlq = new Queue(this, 'Dlq', {
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
    });
    // Visibility ≥ 6 × the consumer's timeout, as AWS recommends for Lambda event sources.
    this.queue = new Queue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(PROVENTOS.timeout.toSeconds() * 6),
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: 3 },
    });
    props.alerts.notifyOn(
      new Alarm(this, 'DlqAlarm', {
        alarmDescription: `b3lake ${props.stage}: dividend pages dead-lettered; see README "Redrive the DLQ"`,
        metric: this.dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    // reportBatchItemFailures: one bad ticker is retried alone, never its whole batch.
    props.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: PROVENTOS.batchSize,
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
        maxConcurrency: PROVENTOS.maxConcurrency,
      }),
    );

    this.schedule = new Schedule(this, 'Weekly', {
      description:
        `b3lake ${props.stage}: dividend pages of every listed ticker ` +
        `(${PROVENTOS_SCHEDULE.hour}:00 BRT, the week's last trading day)`,
      schedule: ScheduleExpression.cron({
        minute: PROVENTOS_SCHEDULE.minute,
        hour: PROVENTOS_SCHEDULE.hour,
        weekDay: PROVENTOS_SCHEDULE.weekDay,
        timeZone: TimeZone.AMERICA_SAO_PAULO,
      }),
      target: new ScheduleLambda(props.list, { input: ScheduleTargetInput.fromObject(PROVENTOS_EVENT) }),
    });

    // The list function sends the jobs; it reads the day's archived listings (and may archive them).
    props.list.addEnvironment('QUEUE_PROVENTOS_URL', this.queue.queueUrl);
    this.queue.grantSendMessages(props.list);
    props.buckets.landing.grantRead(props.list, 'fundamentus/*');

    // Least privilege: the function archives dividend pages, reads a ticker's previous history (the
    // rows added and removed; listing, so that a first fetch's absent object is a 404, not a 403)
    // and replaces it in place (one object per ticker, same key: nothing to delete).
    const b = props.buckets;
    b.landing.grantPut(props.fn, PROVENTOS_LANDING);
    for (const key of tablesWrittenBy('proventos')) {
      const { layer, name } = table(key);
      b[layer].grantRead(props.fn, `${name}/*`);
      b[layer].grantPut(props.fn, `${name}/*`);
    }
  }
}
