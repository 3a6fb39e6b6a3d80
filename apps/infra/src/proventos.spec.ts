import { DuckDBInstance } from '@duckdb/node-api';
import { Template } from 'aws-cdk-lib/assertions';
import { VIEWS, stagedNames, table, type TableDef } from '@b3lake/lake';
import { SQL_TYPE } from '@b3lake/lake/duckdb';
import { createViewSql, fiisByYieldSql, stagedView } from './constructs/catalog';
import { EXTRACT, PROVENTOS } from './constructs/functions';
import { PROVENTOS_EVENT, PROVENTOS_SCHEDULE } from './constructs/proventos';
import { testStage } from './test-app';

const template = Template.fromStack(testStage('dev').stack);
// Shapes of a CloudFormation template: values are whatever the template holds.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Resource = { Type: string; Properties: Record<string, any> };
const json = template.toJSON()['Resources'] as Record<string, Resource>;
const ofType = (type: string) => Object.entries(json).filter(([, r]) => r.Type === type);
const fnNamed = (prefix: string) => ofType('AWS::Lambda::Function').find(([id]) => id.startsWith(prefix))!;
const [fnId, fn] = fnNamed('FunctionsProventos');
const [listId, list] = fnNamed('FunctionsList');
const [queueId] = ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('ProventosQueue'))!;

/** The statements of a function's role, resources flattened to text. */
function statements(of: Resource): { actions: string[]; resources: string[] }[] {
  const roleId = of.Properties['Role']['Fn::GetAtt'][0];
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties['Roles'].some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties['PolicyDocument'].Statement)
    .map((s: { Action: string | string[]; Resource: unknown }) => ({
      actions: ([] as string[]).concat(s.Action),
      resources: ([] as unknown[]).concat(s.Resource).map((r) => JSON.stringify(r)),
    }));
}
const prefixesOf = (all: { actions: string[]; resources: string[] }[], action: RegExp) => [
  ...new Set(
    all
      .filter((s) => s.actions.some((a) => action.test(a)))
      .flatMap((s) => s.resources)
      .map((r) => /"\/([^"]+)"/.exec(r)?.[1])
      .filter((p): p is string => !!p),
  ),
];

describe('dividend history on AWS', () => {
  it("runs with extract's sizing and politeness, on one queue with extract's event-source limits", () => {
    const extract = fnNamed('FunctionsExtractAcoes')[1];
    expect(fn.Properties).toMatchObject({
      Timeout: extract.Properties['Timeout'],
      MemorySize: extract.Properties['MemorySize'],
      Environment: { Variables: { HTTP_CONCURRENCY: '2', HTTP_MIN_INTERVAL_MS: '1000' } },
    });
    expect(PROVENTOS).toMatchObject({
      batchSize: EXTRACT.batchSize,
      maxConcurrency: EXTRACT.maxConcurrency,
      environment: EXTRACT.environment,
    });
    const mappings = ofType('AWS::Lambda::EventSourceMapping').map(([, m]) => m.Properties);
    const mine = mappings.filter((m) => m['FunctionName'].Ref === fnId);
    expect(mine).toEqual([
      expect.objectContaining({
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
      }),
    ]);
    // At most 2 instances × 1 request/s: half of extract's 2 queues × 2 instances.
    const instances = (m: Record<string, any>) => m['ScalingConfig'].MaximumConcurrency as number;
    const extractInstances = mappings
      .filter((m) => m['FunctionName'].Ref !== fnId)
      .reduce((n, m) => n + instances(m), 0);
    expect(instances(mine[0]) * 2).toBe(extractInstances);
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 6 * Number(fn.Properties['Timeout']),
      RedrivePolicy: { maxReceiveCount: 3 },
    });
  });

  it('is enqueued by the list function at 22:00 on weekdays, which goes on on the last trading day', () => {
    const weekly = ofType('AWS::Scheduler::Schedule').filter(([id]) => id.startsWith('ProventosWeekly'));
    expect(
      weekly.map(([, s]) => [s.Properties['ScheduleExpression'], s.Properties['ScheduleExpressionTimezone']]),
    ).toEqual([[`cron(${PROVENTOS_SCHEDULE.minute} ${PROVENTOS_SCHEDULE.hour} ? * MON-FRI *)`, 'America/Sao_Paulo']]);
    expect(weekly[0][1].Properties['Target']).toMatchObject({
      Arn: { 'Fn::GetAtt': [listId, 'Arn'] },
      Input: JSON.stringify(PROVENTOS_EVENT),
    });
    expect(list.Properties['Environment'].Variables['QUEUE_PROVENTOS_URL']).toEqual({ Ref: queueId });
    const listStatements = statements(list);
    const sends = listStatements.filter((s) => s.actions.includes('sqs:SendMessage'));
    expect(sends.flatMap((s) => s.resources)).toContain(JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] }));
    // It reads the day's archived listings (and may archive them, as the 18:45 run does).
    expect(prefixesOf(listStatements, /^s3:GetObject/)).toContain('fundamentus/*');
  });

  it('grants the function only its landing prefix, its table (no delete) and that table’s Glue partitions', () => {
    const all = statements(fn);
    const history = table('proventos').name;
    expect(prefixesOf(all, /^s3:/).sort()).toEqual(['fundamentus-proventos/*', `${history}/*`]);
    expect(prefixesOf(all, /^s3:PutObject/).sort()).toEqual(['fundamentus-proventos/*', `${history}/*`]);
    expect(prefixesOf(all, /^s3:GetObject/)).toEqual([`${history}/*`]);
    expect(all.flatMap((s) => s.actions).filter((a) => /Delete/.test(a) && a.startsWith('s3:'))).toEqual([]);
    const landingWrite = all.find(
      (s) => s.actions.includes('s3:PutObject') && s.resources.some((r) => r.includes('StorageLanding')),
    );
    expect(landingWrite?.resources).toEqual([expect.stringContaining('"/fundamentus-proventos/*"')]);
    const glue = all.filter((s) => s.actions.some((a) => a.startsWith('glue:')));
    expect(glue.flatMap((s) => s.actions)).toEqual(['glue:BatchCreatePartition']);
    expect(
      glue.flatMap((s) => s.resources.filter((r) => r.includes(':table/'))).map((r) => /table\/([^"]+)/.exec(r)?.[1]),
    ).toEqual([`db_b3lake_sot_dev/${history}`]);
    const sqs = all.filter((s) => s.actions.some((a) => a.startsWith('sqs:')));
    expect(sqs.flatMap((s) => s.resources)).toEqual([JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] })]);
  });

  it('alarms the alerts topic on the first dead-lettered dividend page', () => {
    const [dlqId] = ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('ProventosDlq'))!;
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Threshold: 1,
    });
    expect(Object.keys(template.toJSON()['Outputs'])).toEqual(
      expect.arrayContaining(['QueueProventosUrl', 'DlqProventosUrl']),
    );
  });
});

describe('dividend yield in Athena: named queries', () => {
  const queries = ofType('AWS::Athena::NamedQuery').map(([, q]) => q.Properties);
  const named = (name: string) => queries.find((q) => q['Name'] === `b3lake-dev-${name}`);

  it("creates each registry view from the view's own SQL over the stage's table names", () => {
    for (const view of VIEWS) {
      const query = named(`create-${view.name}`);
      expect(query?.['QueryString']).toBe(createViewSql(view, 'dev'));
      expect(query?.['QueryString']).toMatch(
        new RegExp(`^CREATE OR REPLACE VIEW ${stagedView(view, 'dev').database}\\.${view.name} AS\\n`),
      );
    }
    expect(createViewSql(VIEWS[0], 'dev')).toContain('FROM db_b3lake_spec_dev.tbspec_b3_cotacoes_diarias c');
    expect(createViewSql(VIEWS[0], 'dev')).toContain('LEFT JOIN db_b3lake_sot_dev.tbsot_fundamentus_proventos p');
    expect(createViewSql(VIEWS[0], 'prod')).toContain('VIEW db_b3lake_spec.vwspec_proventos_yield_12m AS');
    expect(named('fiis-by-yield-12m')?.['QueryString']).toBe(fiisByYieldSql('dev'));
  });

  it('both run on SQL the lake reads locally: FIIs of the latest day by yield, stocks and units left out', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    try {
      const create = async (def: TableDef) => {
        const { database, name } = stagedNames(def, 'dev');
        const columns = [...def.columns, ...def.partitionKeys].map((c) => `${c.name} ${SQL_TYPE[c.type]}`);
        await db.run(`CREATE SCHEMA IF NOT EXISTS ${database}`);
        await db.run(`CREATE TABLE ${database}.${name} (${columns.join(', ')})`);
        return `${database}.${name}`;
      };
      const spot = await create(table('cotahist_spot'));
      const proventos = await create(table('proventos'));
      await db.run(
        `INSERT INTO ${spot} (codigo_ticker, cod_bdi, dt_pregao, vlr_fechamento, ano) VALUES ` +
          [
            "('HGLG11', '12', DATE '2021-12-30', 150, 2021)",
            "('HGLG11', '12', DATE '2022-05-26', 159, 2022)",
            "('HGLG11', '12', DATE '2022-05-27', 160, 2022)",
            "('MXRF11', '12', DATE '2022-05-27', 10, 2022)",
            "('TAEE11', '02', DATE '2022-05-27', 37, 2022)",
            "('PETR4', '02', DATE '2022-05-27', 32, 2022)",
          ].join(', '),
      );
      const month = (m: number) => `2021-${String(m).padStart(2, '0')}-28`;
      const rows = [
        ...Array.from({ length: 12 }, (_, i) => `('HGLG11', DATE '${month(i + 1)}', 'rendimento', 1.1, 'h${i}')`),
        ...Array.from({ length: 12 }, (_, i) => `('MXRF11', DATE '${month(i + 1)}', 'rendimento', 0.08, 'm${i}')`),
        // Within 12 months of 2022-05-27: data com from 2021-05-28 on; an amortization is not income.
        "('HGLG11', DATE '2022-03-15', 'amortizacao', 5, 'a')",
        "('TAEE11', DATE '2022-04-01', 'dividendo', 3, 't')",
      ];
      await db.run(
        `INSERT INTO ${proventos} (codigo_ticker, dt_com, categoria_provento, vlr_provento_por_acao, id_provento) ` +
          `VALUES ${rows.join(', ')}`,
      );
      await db.run(createViewSql(VIEWS[0], 'dev'));
      const result = await db.runAndReadAll(fiisByYieldSql('dev'));
      const got = result.getRowObjectsJson().map((r) => [r['codigo_ticker'], r['dt_pregao'], r['qtd_proventos_12m']]);
      expect(got).toEqual([
        ['MXRF11', '2022-05-27', 8],
        ['HGLG11', '2022-05-27', 8],
      ]);
      const yields = result.getRowObjectsJson().map((r) => Number(r['pct_yield_12m']));
      expect(yields[0]).toBeCloseTo((8 * 0.08) / 10, 10);
      expect(yields[1]).toBeCloseTo((8 * 1.1) / 160, 10);
    } finally {
      db.closeSync();
      instance.closeSync();
    }
  });
});
