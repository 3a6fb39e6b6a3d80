import type { Published } from './cloud';
import type { BoxQueue } from './sqs';
import { REGION, resolveValue, type CfnResource, type Physical } from './template';

interface AlarmSpec {
  id: string;
  namespace: string;
  metricName: string;
  queueName?: string;
  stateMachineArn?: string;
  threshold: number;
  description?: string;
  actions: string[];
}

/** The key of a state machine's execution metric (its alarms' StateMachineArn dimension and metric name). */
export const executionMetric = (stateMachineArn: string, metricName: string) => `${stateMachineArn} ${metricName}`;

/** The template's CloudWatch alarms on DLQ depth and on failed executions, with their SNS actions. */
export class BoxAlarms {
  private readonly alarms: AlarmSpec[];
  private readonly inAlarm = new Set<string>();

  constructor(resources: Record<string, CfnResource>, ids: Map<string, Physical>) {
    // Resolved once: the alarms are evaluated every 50 ms.
    this.alarms = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
      .map(([id, r]) => {
        const p = resolveValue(r.Properties, ids);
        return {
          id,
          namespace: p.Namespace,
          metricName: p.MetricName,
          queueName: p.Dimensions?.find((d: { Name: string }) => d.Name === 'QueueName')?.Value,
          stateMachineArn: p.Dimensions?.find((d: { Name: string }) => d.Name === 'StateMachineArn')?.Value,
          threshold: p.Threshold,
          description: p.AlarmDescription,
          actions: p.AlarmActions ?? [],
        };
      });
  }

  /** Publishes to each alarm's actions when it goes from OK to ALARM. */
  evaluate(queues: readonly BoxQueue[], executionMetrics: ReadonlyMap<string, number>, published: Published[]): void {
    for (const alarm of this.alarms) {
      let value = 0;
      if (alarm.namespace === 'AWS/SQS') value = queues.find((q) => q.name === alarm.queueName)?.visible() ?? 0;
      else if (alarm.namespace === 'AWS/States')
        value = executionMetrics.get(executionMetric(alarm.stateMachineArn ?? '', alarm.metricName)) ?? 0;
      const breaching = value >= alarm.threshold;
      if (breaching && !this.inAlarm.has(alarm.id)) {
        for (const topicArn of alarm.actions) {
          const message = {
            AlarmName: alarm.id,
            AlarmDescription: alarm.description,
            NewStateValue: 'ALARM',
            Trigger: { MetricName: alarm.metricName },
          };
          const subject = `ALARM: "${alarm.id}" in ${REGION}`;
          published.push({ topicArn, subject, message: JSON.stringify(message), via: `alarm ${alarm.id}` });
        }
      }
      if (breaching) this.inAlarm.add(alarm.id);
      else this.inAlarm.delete(alarm.id);
    }
  }
}
