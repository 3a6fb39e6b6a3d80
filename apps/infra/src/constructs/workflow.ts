import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke as ScheduleLambda, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { Choice, Condition, DefinitionBody, JsonPath, LogLevel, Parallel, StateMachine, TaskInput, Wait, WaitTime } from 'aws-cdk-lib/aws-stepfunctions';
import { CallAwsService, LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { TimeZone } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * The schedules (America/Sao_Paulo) and the finalize workflow. Finalize starts at 19:00 and
 * then waits until both ticker queues have drained before compacting: a fixed time alone
 * (pynvest's 15-minute delay) finalizes a half-extracted day when the sites are slow, and
 * draining alone has no natural start. SoT ações and SoT FIIs compact in parallel, then Spec.
 */
export class Workflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly schedules: Schedule[];

  constructor(scope: Construct, id: string, props: { stage: string; fn: Record<'list' | 'finalize' | 'ibovIngest', NodejsFunction>; queues: { acoes: Queue; fiis: Queue } }) {
    super(scope, id);
    const backlog = (name: string, queue: Queue) =>
      new CallAwsService(this, `${name}Backlog`, {
        service: 'sqs',
        action: 'getQueueAttributes',
        parameters: { QueueUrl: queue.queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] },
        iamResources: [queue.queueArn],
        iamAction: 'sqs:GetQueueAttributes',
        resultSelector: { 'visible.$': '$.Attributes.ApproximateNumberOfMessages', 'inFlight.$': '$.Attributes.ApproximateNumberOfMessagesNotVisible' },
        resultPath: `$.backlog.${name}`,
      });
    const finalizeTask = (name: string, tables: string[]) =>
      new LambdaInvoke(this, name, {
        lambdaFunction: props.fn.finalize,
        payloadResponseOnly: true,
        payload: TaskInput.fromObject({ tables }),
        resultPath: JsonPath.DISCARD,
      });

    const checkAcoes = backlog('acoes', props.queues.acoes);
    const checkFiis = backlog('fiis', props.queues.fiis);
    const wait = new Wait(this, 'WaitForExtraction', { time: WaitTime.duration(Duration.minutes(2)) });
    const parallel = new Parallel(this, 'CompactSot', { resultPath: JsonPath.DISCARD })
      .branch(finalizeTask('FinalizeAcoes', ['sor_acoes', 'sot_acoes']))
      .branch(finalizeTask('FinalizeFiis', ['sor_fiis', 'sot_fiis']));
    const spec = finalizeTask('FinalizeSpec', ['spec_cotacoes', 'raw_pages', 'summary_acoes', 'summary_fiis']);
    const drained = Condition.and(
      Condition.stringEquals('$.backlog.acoes.visible', '0'),
      Condition.stringEquals('$.backlog.acoes.inFlight', '0'),
      Condition.stringEquals('$.backlog.fiis.visible', '0'),
      Condition.stringEquals('$.backlog.fiis.inFlight', '0'),
    );
    const definition = checkAcoes.next(checkFiis).next(new Choice(this, 'Drained?').when(drained, parallel.next(spec)).otherwise(wait.next(checkAcoes)));

    this.stateMachine = new StateMachine(this, 'Finalize', {
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: Duration.hours(3),
      tracingEnabled: true,
      logs: { destination: new LogGroup(this, 'FinalizeLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }), level: LogLevel.ALL, includeExecutionData: true },
    });

    const weekdays = (hour: string, minute: string) => ScheduleExpression.cron({ minute, hour, weekDay: 'MON-FRI', timeZone: TimeZone.AMERICA_SAO_PAULO });
    this.schedules = [
      new Schedule(this, 'StartDaily', { description: `b3lake ${props.stage}: list both markets (weekdays 18:45 BRT)`, schedule: weekdays('18', '45'), target: new ScheduleLambda(props.fn.list) }),
      new Schedule(this, 'IbovDaily', { description: `b3lake ${props.stage}: IBOV day portfolio (weekdays 18:45 BRT)`, schedule: weekdays('18', '45'), target: new ScheduleLambda(props.fn.ibovIngest) }),
      new Schedule(this, 'FinalizeDaily', { description: `b3lake ${props.stage}: finalize once extraction drained (from 19:00 BRT)`, schedule: weekdays('19', '0'), target: new StepFunctionsStartExecution(this.stateMachine, {}) }),
    ];
  }
}
