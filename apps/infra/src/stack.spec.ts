import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { TABLES, VIEWS, glueTableInput, stagedNames } from '@b3lake/lake';
import { App } from 'aws-cdk-lib';
import { B3lakeStage } from './stage';
import { testStage } from './test-app';

const stage = testStage('dev');
const template = Template.fromStack(stage.stack);
const resources = (type: string) =>
  Object.values(template.findResources(type)) as { Properties: Record<string, unknown> }[];
/** The definition (as JSON text) of the state machine that has this state. */
const definitionOf = (state: string) =>
  resources('AWS::StepFunctions::StateMachine')
    .map((m) => JSON.stringify(m.Properties['DefinitionString']))
    .find((d) => d.includes(`\\"${state}\\"`))!;

describe('b3lake stack', () => {
  it('has seven buckets, all private, TLS-only and encrypted, data buckets logging to access-logs', () => {
    template.resourceCountIs('AWS::S3::Bucket', 7);
    for (const bucket of resources('AWS::S3::Bucket')) {
      expect(bucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      });
    }
    expect(resources('AWS::S3::Bucket').filter((b) => b.Properties['LoggingConfiguration'])).toHaveLength(6);
    for (const policy of resources('AWS::S3::BucketPolicy')) {
      expect(JSON.stringify(policy.Properties)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('creates the Glue tables exactly as the lake registry describes them', () => {
    template.resourceCountIs('AWS::Glue::Table', TABLES.length);
    const tables = resources('AWS::Glue::Table');
    for (const def of TABLES) {
      const names = stagedNames(def, 'dev');
      const cfn = tables.find((t) => (t.Properties['TableInput'] as { Name: string }).Name === names.name);
      expect(cfn?.Properties['DatabaseName']).toBe(names.database);
      const expected = glueTableInput(def, 'ignored', 'dev');
      const input = cfn!.Properties['TableInput'] as {
        StorageDescriptor: { Columns: unknown[] };
        PartitionKeys: unknown[];
      };
      expect(input.StorageDescriptor.Columns).toEqual(expected.StorageDescriptor.Columns);
      expect(input.PartitionKeys).toEqual(expected.PartitionKeys);
    }
    // sor, sot, spec and ops (the run manifest); `default` is created by a custom resource.
    template.resourceCountIs('AWS::Glue::Database', 4);
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'db_b3lake_ops_dev' } });
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'db_b3lake_sot_dev' } });
  });

  it('has an Athena workgroup with an enforced, encrypted results location and named queries', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'b3lake-dev',
      RecursiveDeleteOption: true,
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } },
      },
    });
    // latest-quotes, ibov-weights, fii-dividend-yield; each view's CREATE OR REPLACE VIEW; fiis-by-yield-12m
    template.resourceCountIs('AWS::Athena::NamedQuery', 4 + VIEWS.length);
  });

  it('has ticker queues with DLQs (maxReceiveCount 3), visibility ≥ 6 × consumer timeout, and DLQ alarms', () => {
    // acoes, fiis (extract) and proventos, each with its DLQ
    template.resourceCountIs('AWS::SQS::Queue', 6);
    const withDlq = resources('AWS::SQS::Queue').filter((q) => q.Properties['RedrivePolicy']);
    expect(withDlq).toHaveLength(3);
    for (const q of withDlq) {
      expect(q.Properties['RedrivePolicy']).toMatchObject({ maxReceiveCount: 3 });
      expect(q.Properties['VisibilityTimeout']).toBeGreaterThanOrEqual(6 * 60);
    }
    const dlqAlarms = resources('AWS::CloudWatch::Alarm').filter(
      (a) => a.Properties['MetricName'] === 'ApproximateNumberOfMessagesVisible',
    );
    expect(dlqAlarms).toHaveLength(3);
    for (const alarm of dlqAlarms)
      expect(alarm.Properties).toMatchObject({
        Threshold: 1,
        AlarmActions: [{ Ref: expect.stringMatching(/^AlertsTopic/) }],
      });
  });

  it('alerts one topic: DLQs, workflow failures/time-outs/aborts, failed async invocations, Glue job failures', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const alarms = resources('AWS::CloudWatch::Alarm');
    expect(alarms.map((a) => a.Properties['MetricName']).sort()).toEqual([
      'ApproximateNumberOfMessagesVisible',
      'ApproximateNumberOfMessagesVisible',
      'ApproximateNumberOfMessagesVisible', // the proventos DLQ
      'ExecutionsAborted',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
      'ExecutionsTimedOut', // the COTAHIST backfill (its failures are caught and published)
    ]);
    for (const alarm of alarms)
      expect(alarm.Properties['AlarmActions']).toEqual([{ Ref: expect.stringMatching(/^AlertsTopic/) }]);
    const asyncConfigs = resources('AWS::Lambda::EventInvokeConfig');
    expect(asyncConfigs).toHaveLength(4); // prepare, specialize, start-refine-job, cotahist (scheduled)
    for (const config of asyncConfigs)
      expect(config.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { Ref: expect.stringMatching(/^AlertsTopic/) } } },
      });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.glue'],
        'detail-type': ['Glue Job State Change'],
        detail: { jobName: ['b3lake-dev-ibov-refine'], state: ['FAILED', 'TIMEOUT', 'STOPPED', 'ERROR'] },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^AlertsTopic') } })],
    });
    const withEmail = Template.fromStack(
      new B3lakeStage(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'b3lake-mail', {
        stage: 'mail',
        notifyEmail: 'ops@example.com',
        env: { account: '123456789012', region: 'sa-east-1' },
      }).stack,
    );
    withEmail.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });

  it('makes sure the Glue default database exists before the refined table, ignoring AlreadyExists', () => {
    const creates = resources('Custom::AWS').map((r) => JSON.stringify(r.Properties['Create']));
    expect(creates).toHaveLength(1);
    expect(creates[0]).toContain('CreateDatabase');
    expect(creates[0]).toContain('AlreadyExistsException');
    const refined = Object.values(
      template.toJSON()['Resources'] as Record<
        string,
        { Type: string; DependsOn?: string[]; Properties: { DatabaseName?: string } }
      >,
    ).find((r) => r.Type === 'AWS::Glue::Table' && r.Properties.DatabaseName === 'default');
    expect(refined?.DependsOn?.some((d) => d.startsWith('CatalogDefaultDatabase'))).toBe(true);
  });

  it('runs every step on arm64 Node.js ≥ 22 with explicit log groups with retention and tracing', () => {
    const functions = resources('AWS::Lambda::Function').filter(
      (f) => String(f.Properties['Handler']) === 'index.handler' && f.Properties['Architectures'],
    );
    expect(functions).toHaveLength(10);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Architectures: ['arm64'],
        Runtime: 'nodejs24.x',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: expect.anything() },
      });
    }
    for (const group of resources('AWS::Logs::LogGroup')) expect(group.Properties['RetentionInDays']).toBe(30);
  });

  it('consumes SQS with ReportBatchItemFailures so one bad ticker never fails its batch', () => {
    // extract-acoes, extract-fiis, proventos: the same batch size and the same concurrency cap
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 3);
    template.allResourcesProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  it('chains SoR → prepare, SoT → specialize and raw IBOV → refine with prefix filters', () => {
    const notifications = resources('Custom::S3BucketNotifications').flatMap(
      (n) =>
        (
          n.Properties['NotificationConfiguration'] as {
            LambdaFunctionConfigurations: { Filter: { Key: { FilterRules: { Name: string; Value: string }[] } } }[];
          }
        ).LambdaFunctionConfigurations,
    );
    const prefixes = notifications.map((c) => c.Filter.Key.FilterRules.find((r) => r.Name === 'prefix')?.Value).sort();
    expect(prefixes).toEqual([
      'tbsor_b3_carteira_ibov_raw/',
      'tbsor_fundamentus_indicadores_acoes_raw/',
      'tbsor_fundamentus_indicadores_fiis_raw/',
      'tbsot_fundamentus_indicadores_acoes_prep/',
      'tbsot_fundamentus_indicadores_fiis_prep/',
    ]);
  });

  it('has a finalize workflow and a COTAHIST backfill, both logging ALL with tracing', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    template.allResourcesProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('finalize workflow: date resolved once, drain checks, SoT in parallel, then Spec, failures notified', () => {
    const definition = definitionOf('FinalizeSpec');
    for (const state of [
      'DateGiven?',
      'ResolveGivenDate',
      'ResolveToday',
      'TradingDay?',
      'acoesBacklog',
      'fiisBacklog',
      'Drained?',
      'ConfirmDrained',
      'WaitForExtraction',
      'ExtractionNotDrained',
      'CompactSot',
      'FinalizeAcoes',
      'FinalizeFiis',
      'FinalizeSpec',
      'NotifyFailure',
      'Lambda.TooManyRequestsException',
    ])
      expect(definition).toContain(state);
    expect(definition).toMatch(/CompactSot.*"Next\\":\\"FinalizeSpec/);
  });

  it('schedules weekdays in America/Sao_Paulo: start and IBOV 18:45, finalize 19:00, COTAHIST, dividends 22:00', () => {
    const schedules = resources('AWS::Scheduler::Schedule').map((s) => [
      s.Properties['ScheduleExpression'],
      s.Properties['ScheduleExpressionTimezone'],
    ]);
    expect(schedules.sort()).toEqual([
      ['cron(0 19 ? * MON-FRI *)', 'America/Sao_Paulo'],
      ['cron(0 22 ? * MON-FRI *)', 'America/Sao_Paulo'],
      ['cron(30 20 ? * MON-FRI *)', 'America/Sao_Paulo'],
      ['cron(30 22 ? * MON-FRI *)', 'America/Sao_Paulo'],
      ['cron(45 18 ? * MON-FRI *)', 'America/Sao_Paulo'],
      ['cron(45 18 ? * MON-FRI *)', 'America/Sao_Paulo'],
    ]);
  });

  it('runs the IBOV refine as a Glue Spark job reading the SQL asset', () => {
    template.hasResourceProperties('AWS::Glue::Job', {
      Name: 'b3lake-dev-ibov-refine',
      Command: { Name: 'glueetl', PythonVersion: '3' },
      DefaultArguments: Match.objectLike({ '--table': 'tbrefined_b3_carteira_ibov_dev', '--database': 'default' }),
    });
  });

  it('exports bucket names, queue URLs, the state machine ARN and the workgroup', () => {
    const outputs = Object.keys(template.toJSON()['Outputs']);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'BucketLanding',
        'BucketSor',
        'BucketRefined',
        'QueueAcoesUrl',
        'QueueFiisUrl',
        'DlqAcoesUrl',
        'QueueProventosUrl',
        'DlqProventosUrl',
        'FinalizeStateMachineArn',
        'CotahistBackfillStateMachineArn',
        'AthenaWorkGroup',
        'RefineJobName',
      ]),
    );
  });

  it('names nothing after an account or region (two stages fit one account)', () => {
    const agnostic = JSON.stringify(Template.fromStack(testStage('dev', { envAgnostic: true }).stack).toJSON());
    expect(agnostic.match(/\b\d{12}\b/g) ?? []).toEqual([]);
    expect(agnostic.match(/\b(us|sa|eu|ap)-(east|west|south|north|central)-\d\b/g) ?? []).toEqual([]);
    const prod = Template.fromStack(testStage('prod').stack).toJSON();
    expect(JSON.stringify(prod)).toContain('"Name":"b3lake-prod"');
    expect(JSON.stringify(prod)).toContain('"Name":"db_b3lake_sot"');
  });
});

describe('Lambda bundles', () => {
  it('point at the thin handlers of apps/<step>', () => {
    const apps = [
      'list',
      'extract',
      'prepare',
      'specialize',
      'finalize',
      'ibov-ingest',
      'start-refine-job',
      'cotahist',
      'proventos',
    ];
    for (const app of apps) {
      const handler = readFileSync(join(__dirname, '..', '..', app, 'src', 'handler.ts'), 'utf8');
      expect(handler.split('\n').length).toBeLessThanOrEqual(60);
      expect(handler).not.toMatch(/@duckdb/);
    }
  });
});
