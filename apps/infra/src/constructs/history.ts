import { Duration, RemovalPolicy, TimeZone } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke as ScheduleLambda } from 'aws-cdk-lib/aws-scheduler-targets';
import {
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  JsonPath,
  LogLevel,
  Map as MapState,
  Parallel,
  Pass,
  StateMachine,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke, SnsPublish } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { Alerts } from './alerts';

/** The first year B3 publishes an annual COTAHIST file for. */
export const FIRST_COTAHIST_YEAR = 1986;

/**
 * Evening runs of the daily COTAHIST file (America/Sao_Paulo, weekdays): B3 publishes a session's
 * file in the evening after it; the second run loads it when the first found nothing yet, and
 * otherwise finds it in the ledger and downloads nothing.
 */
export const COTAHIST_SCHEDULES = [
  { id: 'CotahistDaily', hour: '20', minute: '30' },
  { id: 'CotahistDailyLate', hour: '22', minute: '30' },
] as const;

/** Years loaded at once: at most two downloads from B3 in flight (each an annual zip of up to ~90 MB). */
export const BACKFILL_MAX_CONCURRENCY = 2;

/**
 * B3's price history on AWS: the daily file by schedule, and the backfill state machine — input
 * `{"from": 1986, "to": 2025}` (years, `"force": true` to reload) — which runs the same function
 * once per year (`{ year }`, the year's annual file streamed from B3 to S3, then from S3 into the
 * tables) over a Map of at most BACKFILL_MAX_CONCURRENCY years at a time. Retryable failures (B3
 * or S3 unreachable, a cut download) are retried with backoff; a year that still fails stops the
 * backfill and notifies the alerts topic. Starting it again with the same input skips the years
 * already loaded without downloading them.
 */
export class History extends Construct {
  readonly backfill: StateMachine;
  readonly schedules: Schedule[];

  constructor(scope: Construct, id: string, props: { stage: string; fn: NodejsFunction; alerts: Alerts }) {
    super(scope, id);
    this.schedules = COTAHIST_SCHEDULES.map(
      ({ id: name, hour, minute }) =>
        new Schedule(this, name, {
          description: `b3lake ${props.stage}: today's COTAHIST file (weekdays ${hour}:${minute} BRT)`,
          schedule: ScheduleExpression.cron({
            minute,
            hour,
            weekDay: 'MON-FRI',
            timeZone: TimeZone.AMERICA_SAO_PAULO,
          }),
          // `{}`: today's file in São Paulo; the function skips B3 holidays.
          target: new ScheduleLambda(props.fn, { input: ScheduleTargetInput.fromObject({}) }),
        }),
    );

    const invalid = new Fail(this, 'InvalidYears', {
      error: 'InvalidYears',
      cause: `Expected {"from": YYYY, "to": YYYY} with ${FIRST_COTAHIST_YEAR} ≤ from ≤ to (optionally "force": true).`,
    });
    // The years from..to; `force` defaults to false.
    const years = new Pass(this, 'Years', {
      parameters: { 'years.$': 'States.ArrayRange($.from, $.to, 1)', 'force.$': '$.force' },
    });
    const noForce = new Pass(this, 'NoForce', { parameters: { 'from.$': '$.from', 'to.$': '$.to', force: false } });
    const load = new LambdaInvoke(this, 'LoadYear', {
      lambdaFunction: props.fn,
      payloadResponseOnly: true,
      payload: TaskInput.fromObject({ 'year.$': '$.year', 'force.$': '$.force' }),
      resultSelector: {
        'year.$': '$.year',
        'status.$': '$.status',
        'quotes.$': '$.quotes',
        'downloaded.$': '$.downloaded',
        'downloadSeconds.$': '$.downloadSeconds',
        'loadSeconds.$': '$.loadSeconds',
      },
    })
      .addRetry({
        // Lambda's own hiccups and throttling (new accounts often have a concurrency quota of 10).
        errors: [
          'Lambda.TooManyRequestsException',
          'Lambda.ServiceException',
          'Lambda.AWSLambdaException',
          'Lambda.SdkClientException',
        ],
        interval: Duration.seconds(5),
        backoffRate: 2,
        maxAttempts: 6,
      })
      .addRetry({
        // B3 or S3 unreachable, a download cut midway: the function names these RetryableError.
        errors: ['RetryableError'],
        interval: Duration.minutes(1),
        backoffRate: 2,
        maxAttempts: 3,
      });
    const map = new MapState(this, 'EachYear', {
      itemsPath: '$.years',
      itemSelector: { 'year.$': '$$.Map.Item.Value', 'force.$': '$.force' },
      maxConcurrency: BACKFILL_MAX_CONCURRENCY,
      resultPath: '$.years',
    }).itemProcessor(load);
    // Every rule of the And reads a path that IsPresent has checked first.
    const valid = Condition.and(
      Condition.isPresent('$.from'),
      Condition.isPresent('$.to'),
      Condition.isNumeric('$.from'),
      Condition.isNumeric('$.to'),
      Condition.numberGreaterThanEquals('$.from', FIRST_COTAHIST_YEAR),
      Condition.numberLessThanEqualsJsonPath('$.from', '$.to'),
    );
    years.next(map).next(new Succeed(this, 'BackfillDone'));
    const start = new Choice(this, 'ValidYears?')
      .when(
        valid,
        new Choice(this, 'ForceGiven?').when(Condition.isPresent('$.force'), years).otherwise(noForce.next(years)),
      )
      .otherwise(invalid);

    const notify = new SnsPublish(this, 'NotifyBackfillFailure', {
      topic: props.alerts.topic,
      subject: `b3lake ${props.stage}: COTAHIST backfill failed`,
      message: TaskInput.fromObject({
        'execution.$': '$$.Execution.Id',
        'input.$': '$$.Execution.Input',
        'error.$': '$.failure.Error',
        'cause.$': '$.failure.Cause',
        hint: 'Fix the cause, then start the backfill again with the same input: loaded years are skipped.',
      }),
      resultPath: JsonPath.DISCARD,
    });
    // One Parallel branch so that any failure inside is caught, published, then fails the execution.
    const wrapper = new Parallel(this, 'BackfillYears', { outputPath: '$[0]' }).branch(start);
    wrapper.addCatch(
      notify.next(
        new Fail(this, 'BackfillFailed', {
          error: 'BackfillFailed',
          cause: 'See the alerts topic message and the execution history.',
        }),
      ),
      { resultPath: '$.failure' },
    );

    this.backfill = new StateMachine(this, 'Backfill', {
      definitionBody: DefinitionBody.fromChainable(wrapper),
      // 40 years, two at a time, a few minutes each, retries included: well within a day.
      timeout: Duration.hours(24),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'BackfillLogs', {
          retention: RetentionDays.ONE_MONTH,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        level: LogLevel.ALL,
        includeExecutionData: true,
      },
    });
    // A time-out skips the Catch above.
    props.alerts.notifyOn(
      new Alarm(this, 'BackfillTimedOut', {
        alarmDescription: `b3lake ${props.stage}: COTAHIST backfill timed out`,
        metric: this.backfill.metricTimedOut({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}
