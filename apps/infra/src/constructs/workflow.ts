import { Duration, RemovalPolicy, TimeZone } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke as ScheduleLambda, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import {
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  JsonPath,
  LogLevel,
  Parallel,
  Pass,
  StateMachine,
  Succeed,
  TaskInput,
  Wait,
  WaitTime,
  type IChainable,
} from 'aws-cdk-lib/aws-stepfunctions';
import { CallAwsService, LambdaInvoke, SnsPublish } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { FINALIZE_GROUPS as GROUPS, type TableKey } from '@b3lake/lake';
import type { Alerts } from './alerts';

/** Polling cadence while extraction runs, and once the queues look drained (to confirm it). */
export const DRAIN_POLL = Duration.minutes(2);
export const DRAIN_CONFIRM = Duration.seconds(30);
/** 75 polls × 2 min = 2.5 h: a day that has not drained by 21:30 BRT is stuck; someone must look. */
export const MAX_DRAIN_CHECKS = 75;

/** What each finalize task compacts (SoT is derived from SoR, Spec from both SoT tables): the registry's groups. */
export const FINALIZE_GROUPS: Record<'FinalizeAcoes' | 'FinalizeFiis' | 'FinalizeSpec', TableKey[]> = {
  FinalizeAcoes: GROUPS.byKind.acoes,
  FinalizeFiis: GROUPS.byKind.fiis,
  FinalizeSpec: GROUPS.afterKinds,
};

/**
 * The schedules (America/Sao_Paulo) and the finalize workflow. The business date is resolved once
 * from the execution input (`{"date": "YYYY-MM-DD"}`, default today in São Paulo) and passed to
 * every task, so a redrive the next day finalizes the right day. Finalize starts at 19:00 and
 * waits until both ticker queues are seen drained twice in a row (a fixed delay alone finalizes a
 * half-extracted day when the sites are slow). SoT ações and FIIs compact in parallel, then Spec.
 * Any failure publishes to the alerts topic, then fails the execution.
 */
export class Workflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly schedules: Schedule[];

  constructor(
    scope: Construct,
    id: string,
    props: {
      stage: string;
      fn: Record<'list' | 'finalize' | 'ibovIngest', NodejsFunction>;
      queues: { acoes: Queue; fiis: Queue };
      alerts: Alerts;
    },
  ) {
    super(scope, id);
    const invoke = (name: string, payload: Record<string, unknown>, resultPath: string) =>
      new LambdaInvoke(this, name, {
        lambdaFunction: props.fn.finalize,
        payloadResponseOnly: true,
        payload: TaskInput.fromObject(payload),
        resultPath,
      }).addRetry({
        // New accounts often have a concurrency quota of 10: throttling is expected, not fatal.
        errors: ['Lambda.TooManyRequestsException'],
        interval: Duration.seconds(5),
        backoffRate: 2,
        maxAttempts: 6,
      });
    const finalize = (name: keyof typeof FINALIZE_GROUPS) =>
      invoke(name, { 'anomesdia.$': '$.run.anomesdia', tables: FINALIZE_GROUPS[name] }, JsonPath.DISCARD);

    const resolveGiven = invoke('ResolveGivenDate', { resolve: true, 'date.$': '$.date' }, '$.run');
    const resolveToday = invoke('ResolveToday', { resolve: true }, '$.run');
    const start = new Choice(this, 'DateGiven?')
      .when(Condition.isPresent('$.date'), resolveGiven)
      .otherwise(resolveToday);

    const backlog = (name: string, queue: Queue) =>
      new CallAwsService(this, `${name}Backlog`, {
        service: 'sqs',
        action: 'getQueueAttributes',
        parameters: {
          QueueUrl: queue.queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        },
        iamResources: [queue.queueArn],
        iamAction: 'sqs:GetQueueAttributes',
        resultSelector: {
          'visible.$': '$.Attributes.ApproximateNumberOfMessages',
          'inFlight.$': '$.Attributes.ApproximateNumberOfMessagesNotVisible',
        },
        resultPath: `$.backlog.${name}`,
      });
    const checkAcoes = backlog('acoes', props.queues.acoes);
    const counters = (name: string, checks: string, drained: string | number) =>
      new Pass(this, name, {
        parameters: { 'checks.$': checks, [typeof drained === 'number' ? 'drained' : 'drained.$']: drained },
        resultPath: '$.wait',
      });
    const initWait = counters('StartWaiting', 'States.MathAdd(0, 0)', 0);
    const drainedOnce = counters(
      'DrainedOnce',
      'States.MathAdd($.wait.checks, 1)',
      'States.MathAdd($.wait.drained, 1)',
    );
    const notDrained = counters('NotDrained', 'States.MathAdd($.wait.checks, 1)', 0);
    const drained = Condition.and(
      Condition.stringEquals('$.backlog.acoes.visible', '0'),
      Condition.stringEquals('$.backlog.acoes.inFlight', '0'),
      Condition.stringEquals('$.backlog.fiis.visible', '0'),
      Condition.stringEquals('$.backlog.fiis.inFlight', '0'),
    );
    const compact = new Parallel(this, 'CompactSot', { resultPath: JsonPath.DISCARD })
      .branch(finalize('FinalizeAcoes'))
      .branch(finalize('FinalizeFiis'));
    const spec = finalize('FinalizeSpec');
    // The finalized day's row in the run manifest (db_b3lake_ops.tbops_execucoes), as a local run writes one.
    const recordRun = invoke(
      'RecordRun',
      { record: true, 'anomesdia.$': '$.run.anomesdia', 'startedAt.$': '$$.Execution.StartTime' },
      JsonPath.DISCARD,
    );
    const stuck = new Fail(this, 'ExtractionNotDrained', {
      error: 'ExtractionNotDrained',
      cause:
        `The ticker queues still had messages after ${MAX_DRAIN_CHECKS} checks; ` +
        'see README "Redrive the DLQ" and the extract logs.',
    });
    const poll = checkAcoes.next(backlog('fiis', props.queues.fiis)).next(
      new Choice(this, 'Drained?')
        .when(
          Condition.and(drained, Condition.numberGreaterThanEquals('$.wait.drained', 1)),
          compact.next(spec).next(recordRun).next(new Succeed(this, 'Finalized')),
        )
        .when(
          drained,
          drainedOnce
            .next(new Wait(this, 'ConfirmDrained', { time: WaitTime.duration(DRAIN_CONFIRM) }))
            .next(checkAcoes),
        )
        .when(Condition.numberGreaterThanEquals('$.wait.checks', MAX_DRAIN_CHECKS), stuck)
        .otherwise(
          notDrained
            .next(new Wait(this, 'WaitForExtraction', { time: WaitTime.duration(DRAIN_POLL) }))
            .next(checkAcoes),
        ),
    );
    const tradingDay = new Choice(this, 'TradingDay?')
      .when(Condition.booleanEquals('$.run.skipped', true), new Succeed(this, 'NotATradingDay'))
      .otherwise(initWait.next(poll));
    resolveGiven.next(tradingDay);
    resolveToday.next(tradingDay);

    const notify = new SnsPublish(this, 'NotifyFailure', {
      topic: props.alerts.topic,
      subject: `b3lake ${props.stage}: finalize failed`,
      message: TaskInput.fromObject({
        'execution.$': '$$.Execution.Id',
        'input.$': '$$.Execution.Input',
        'error.$': '$.failure.Error',
        'cause.$': '$.failure.Cause',
      }),
      resultPath: JsonPath.DISCARD,
    });
    const run = new Parallel(this, 'FinalizeDay', { outputPath: '$[0]' }).branch(start as IChainable);
    run.addCatch(
      notify.next(
        new Fail(this, 'FinalizeFailed', {
          error: 'FinalizeFailed',
          cause: 'See the alerts topic message and the execution history.',
        }),
      ),
      { resultPath: '$.failure' },
    );

    this.stateMachine = new StateMachine(this, 'Finalize', {
      definitionBody: DefinitionBody.fromChainable(run),
      timeout: Duration.hours(3),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'FinalizeLogs', {
          retention: RetentionDays.ONE_MONTH,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        level: LogLevel.ALL,
        includeExecutionData: true,
      },
    });
    // A time-out or an abort skips the Catch above: alarms cover every way an execution can end badly.
    const alarm = (name: string, metric: Metric) =>
      props.alerts.notifyOn(
        new Alarm(this, name, {
          alarmDescription: `b3lake ${props.stage}: finalize workflow ${name}`,
          metric,
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    alarm('ExecutionsFailed', this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }));
    alarm('ExecutionsTimedOut', this.stateMachine.metricTimedOut({ period: Duration.minutes(5), statistic: 'Sum' }));
    alarm('ExecutionsAborted', this.stateMachine.metricAborted({ period: Duration.minutes(5), statistic: 'Sum' }));

    const weekdays = (hour: string, minute: string) =>
      ScheduleExpression.cron({ minute, hour, weekDay: 'MON-FRI', timeZone: TimeZone.AMERICA_SAO_PAULO });
    this.schedules = [
      new Schedule(this, 'StartDaily', {
        description: `b3lake ${props.stage}: list both markets (weekdays 18:45 BRT)`,
        schedule: weekdays('18', '45'),
        target: new ScheduleLambda(props.fn.list),
      }),
      new Schedule(this, 'IbovDaily', {
        description: `b3lake ${props.stage}: IBOV day portfolio (weekdays 18:45 BRT)`,
        schedule: weekdays('18', '45'),
        target: new ScheduleLambda(props.fn.ibovIngest),
      }),
      new Schedule(this, 'FinalizeDaily', {
        description: `b3lake ${props.stage}: finalize once extraction drained (from 19:00 BRT)`,
        schedule: weekdays('19', '0'),
        target: new StepFunctionsStartExecution(this.stateMachine, {}),
      }),
    ];
  }
}
