import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DAILY_TABLES, byLayer, stagedNames, table, tablesWrittenBy, type TableKey } from '@b3lake/lake';
import { Alerts } from './constructs/alerts';
import { Catalog } from './constructs/catalog';
import { Functions } from './constructs/functions';
import { History } from './constructs/history';
import { Proventos } from './constructs/proventos';
import { RefineJob } from './constructs/refine-job';
import { Storage } from './constructs/storage';
import { Workflow } from './constructs/workflow';
import { acknowledgeFindings } from './nag';

export interface B3lakeStackProps extends StackProps {
  /** Deployment stage: part of every name that must be unique in the account. */
  stage: string;
  /** Optional e-mail address subscribed to the alerts topic (CDK context `notifyEmail`). */
  notifyEmail?: string;
}

/**
 * The whole pipeline on AWS: storage, catalog, functions, queues, workflow, schedules, refine job,
 * COTAHIST history and the weekly dividend pages.
 */
export class B3lakeStack extends Stack {
  readonly storage: Storage;
  readonly functions: Functions;
  readonly workflow: Workflow;
  readonly history: History;
  readonly proventos: Proventos;
  readonly refineJob: RefineJob;
  readonly catalog: Catalog;
  readonly alerts: Alerts;

  constructor(scope: Construct, id: string, props: B3lakeStackProps) {
    super(scope, id, props);
    this.alerts = new Alerts(this, 'Alerts', { stage: props.stage, email: props.notifyEmail });
    this.storage = new Storage(this, 'Storage');
    const buckets = this.storage.buckets;
    this.catalog = new Catalog(this, 'Catalog', { stage: props.stage, buckets });
    this.refineJob = new RefineJob(this, 'Refine', { stage: props.stage, buckets });
    this.functions = new Functions(this, 'Functions', {
      stage: props.stage,
      buckets,
      glueJobName: this.refineJob.jobName,
      alerts: this.alerts,
    });
    this.workflow = new Workflow(this, 'Workflow', {
      stage: props.stage,
      fn: this.functions.fn,
      queues: this.functions.queues,
      alerts: this.alerts,
    });
    this.history = new History(this, 'History', {
      stage: props.stage,
      fn: this.functions.fn.cotahist,
      alerts: this.alerts,
    });
    this.proventos = new Proventos(this, 'Proventos', {
      stage: props.stage,
      list: this.functions.fn.list,
      fn: this.functions.fn.proventos,
      buckets,
      alerts: this.alerts,
    });
    this.alerts.notifyOnGlueJobFailure(this.refineJob.jobName);

    const fn = this.functions.fn;
    // CloudFormation owns the Glue databases and tables; functions only register the partitions they wrote.
    this.grantPartitions(fn.finalize, [...byLayer(DAILY_TABLES), ...tablesWrittenBy('record-run')], props.stage);
    this.grantPartitions(fn.ibovIngest, tablesWrittenBy('ibov-ingest'), props.stage);
    this.grantPartitions(fn.cotahist, tablesWrittenBy('cotahist'), props.stage);
    this.grantPartitions(fn.proventos, tablesWrittenBy('proventos'), props.stage);
    fn.startRefineJob.addToRolePolicy(
      new PolicyStatement({
        actions: ['glue:StartJobRun'],
        resources: [this.formatArn({ service: 'glue', resource: 'job', resourceName: this.refineJob.jobName })],
      }),
    );

    acknowledgeFindings(this, buckets, [fn.finalize, fn.list, fn.ibovIngest, fn.cotahist]);

    const out = (name: string, value: string, description: string) => new CfnOutput(this, name, { value, description });
    for (const [role, bucket] of Object.entries(buckets))
      out(`Bucket${role[0].toUpperCase()}${role.slice(1)}`, bucket.bucketName, `${role} bucket`);
    out('QueueAcoesUrl', this.functions.queues.acoes.queueUrl, 'stock ticker jobs');
    out('QueueFiisUrl', this.functions.queues.fiis.queueUrl, 'FII ticker jobs');
    out('DlqAcoesUrl', this.functions.queues.acoesDlq.queueUrl, 'stock tickers that failed 3 times');
    out('DlqFiisUrl', this.functions.queues.fiisDlq.queueUrl, 'FII tickers that failed 3 times');
    out('QueueProventosUrl', this.proventos.queue.queueUrl, 'weekly dividend-page jobs (stocks and FIIs)');
    out('DlqProventosUrl', this.proventos.dlq.queueUrl, 'dividend pages that failed 3 times');
    out('FinalizeStateMachineArn', this.workflow.stateMachine.stateMachineArn, 'finalize workflow');
    out(
      'CotahistBackfillStateMachineArn',
      this.history.backfill.stateMachineArn,
      'COTAHIST backfill: start it with {"from": 1986, "to": 2025}',
    );
    out('AthenaWorkGroup', this.catalog.workGroup.name, 'Athena workgroup (results location and encryption enforced)');
    out('RefineJobName', this.refineJob.jobName, 'Glue ETL job running ibov_refine.sql');
    out('AlertsTopicArn', this.alerts.topic.topicArn, 'failures and dead letters are published here');
  }

  private grantPartitions(
    fn: { addToRolePolicy(statement: PolicyStatement): void },
    keys: TableKey[],
    stage: string,
  ): void {
    const names = keys.map((k) => stagedNames(table(k), stage));
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['glue:BatchCreatePartition'],
        resources: [
          this.formatArn({ service: 'glue', resource: 'catalog' }),
          ...[...new Set(names.map((n) => n.database))].map((d) =>
            this.formatArn({ service: 'glue', resource: 'database', resourceName: d }),
          ),
          ...names.map((n) =>
            this.formatArn({ service: 'glue', resource: 'table', resourceName: `${n.database}/${n.name}` }),
          ),
        ],
      }),
    );
  }
}
