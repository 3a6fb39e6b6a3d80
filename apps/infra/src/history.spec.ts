import { Template } from 'aws-cdk-lib/assertions';
import { COTAHIST } from './constructs/functions';
import { BACKFILL_MAX_CONCURRENCY, COTAHIST_SCHEDULES } from './constructs/history';
import { testStage } from './test-app';

const template = Template.fromStack(testStage('dev').stack);
// Shapes of a CloudFormation template: values are whatever the template holds.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Resource = { Type: string; Properties: Record<string, any> };
const json = template.toJSON()['Resources'] as Record<string, Resource>;
const ofType = (type: string) => Object.entries(json).filter(([, r]) => r.Type === type);
const [fnId, fn] = ofType('AWS::Lambda::Function').find(([id]) => id.startsWith('FunctionsCotahist'))!;

/** The backfill's definition with its tokens (ARNs) replaced by their logical ids. */
function backfill() {
  const [, machine] = ofType('AWS::StepFunctions::StateMachine').find(([id]) => id.startsWith('HistoryBackfill'))!;
  const parts = machine.Properties['DefinitionString']['Fn::Join'][1] as unknown[];
  const text = parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p).replace(/[^A-Za-z0-9]/g, ''))).join('');
  return JSON.parse(text) as { States: Record<string, any> };
}

/** The statements of the cotahist function's role, resources flattened to text. */
function statements(): { actions: string[]; resources: string[] }[] {
  const roleId = fn.Properties['Role']['Fn::GetAtt'][0];
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties['Roles'].some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties['PolicyDocument'].Statement)
    .map((s: { Action: string | string[]; Resource: unknown }) => ({
      actions: ([] as string[]).concat(s.Action),
      resources: ([] as unknown[]).concat(s.Resource).map((r) => JSON.stringify(r)),
    }));
}

describe('COTAHIST on AWS', () => {
  it('sizes the function from the measured year: memory, Lambda’s maximum timeout, /tmp, polite HTTP', () => {
    expect(fn.Properties).toMatchObject({
      MemorySize: COTAHIST.memoryMb,
      Timeout: 900,
      EphemeralStorage: { Size: COTAHIST.ephemeralStorageMb },
      Environment: { Variables: { HTTP_CONCURRENCY: '1', HTTP_MIN_INTERVAL_MS: '1000' } },
    });
    expect(COTAHIST.memoryMb).toBeGreaterThanOrEqual(1769); // one full vCPU
    // Scheduled runs are asynchronous: after Lambda's two retries the failure reaches the alerts topic.
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId },
      MaximumRetryAttempts: 2,
    });
  });

  it('runs today’s file on weekday evenings in São Paulo with the event {}', () => {
    const schedules = ofType('AWS::Scheduler::Schedule').filter(([id]) => id.startsWith('HistoryCotahist'));
    expect(
      schedules.map(([, s]) => [s.Properties['ScheduleExpression'], s.Properties['ScheduleExpressionTimezone']]),
    ).toEqual(
      COTAHIST_SCHEDULES.map((s) => [`cron(${s.minute} ${s.hour} ? * MON-FRI *)`, 'America/Sao_Paulo'] as const),
    );
    for (const [, s] of schedules)
      expect(s.Properties['Target']).toMatchObject({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, Input: '{}' });
  });

  it('backfills years over a Map of at most two, retrying retryable failures, notifying a failed year', () => {
    const { States } = backfill();
    const branch = States['BackfillYears'].Branches[0].States;
    expect(States['BackfillYears'].Catch[0]).toMatchObject({
      ErrorEquals: ['States.ALL'],
      Next: 'NotifyBackfillFailure',
    });
    expect(branch['Years'].Parameters).toEqual({
      'years.$': 'States.ArrayRange($.from, $.to, 1)',
      'force.$': '$.force',
    });
    const map = branch['EachYear'];
    expect(map).toMatchObject({
      Type: 'Map',
      MaxConcurrency: BACKFILL_MAX_CONCURRENCY,
      ItemsPath: '$.years',
      ItemSelector: { 'year.$': '$$.Map.Item.Value', 'force.$': '$.force' },
    });
    expect(BACKFILL_MAX_CONCURRENCY).toBe(2);
    const load = map.ItemProcessor.States['LoadYear'];
    expect(load.Resource).toContain(fnId.replace(/[^A-Za-z0-9]/g, ''));
    expect(load.Parameters).toEqual({ 'year.$': '$.year', 'force.$': '$.force' });
    const retried = load.Retry.flatMap((r: { ErrorEquals: string[] }) => r.ErrorEquals);
    expect(retried).toEqual(expect.arrayContaining(['RetryableError', 'Lambda.TooManyRequestsException']));
    expect(retried).not.toContain('States.ALL');
    expect(retried).not.toContain('States.Timeout');
  });

  it('grants the function only the COTAHIST prefixes and the partitions of its three tables', () => {
    const all = statements();
    const s3Resources = all.filter((s) => s.actions.some((a) => a.startsWith('s3:'))).flatMap((s) => s.resources);
    const prefixes = s3Resources.filter((r) => r.includes('/')).map((r) => /"\/([^"]+)"/.exec(r)?.[1]);
    expect([...new Set(prefixes)].sort()).toEqual([
      'cotahist/*',
      'tbops_cotahist_arquivos/*',
      'tbsot_b3_cotacoes_historicas/*',
      'tbspec_b3_cotacoes_diarias/*',
    ]);
    const landingWrite = all.find(
      (s) => s.actions.includes('s3:PutObject') && s.resources.some((r) => r.includes('StorageLanding')),
    );
    expect(landingWrite?.resources).toEqual([expect.stringContaining('"/cotahist/*"')]);
    const glue = all.filter((s) => s.actions.some((a) => a.startsWith('glue:')));
    expect(glue.flatMap((s) => s.actions)).toEqual(['glue:BatchCreatePartition']);
    expect(
      glue.flatMap((s) => s.resources.filter((r) => r.includes(':table/'))).map((r) => /table\/([^"]+)/.exec(r)?.[1]),
    ).toEqual([
      'db_b3lake_sot_dev/tbsot_b3_cotacoes_historicas',
      'db_b3lake_spec_dev/tbspec_b3_cotacoes_diarias',
      'db_b3lake_ops_dev/tbops_cotahist_arquivos',
    ]);
  });

  it('exports the backfill state machine ARN', () => {
    expect(Object.keys(template.toJSON()['Outputs'])).toContain('CotahistBackfillStateMachineArn');
  });
});
