/**
 * The synthesized finalize workflow's control flow, with its tasks answered by stubs (the
 * cloud-box spec runs it with the real functions): drain confirmation, throttling retries,
 * the bounded wait and its notification, non-trading days.
 */
import { BOX_CDK_OUT } from './cloud';
import { BoxStateMachine, type TaskState } from './state-machine';
import { loadAssembly } from './template';

const { template } = loadAssembly(BOX_CDK_OUT);
const machine = Object.entries(template.Resources).find(
  ([id, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && id.startsWith('WorkflowFinalize'),
)![1];
// Tokens (ARNs, queue URLs) do not matter to the control flow: the stubs answer by state name.
const definition = JSON.parse(
  (machine.Properties['DefinitionString']['Fn::Join'][1] as unknown[])
    .map((part) => (typeof part === 'string' ? part : 'TOKEN'))
    .join(''),
);

interface Stubs {
  /** Backlog answers in order for each check; the last one repeats. */
  backlog: { visible: string; inFlight: string }[];
  throttleFinalize?: number;
  skipped?: boolean;
}

async function run(stubs: Stubs, input: unknown = {}) {
  const calls: string[] = [];
  const finalized: unknown[] = [];
  const recorded: unknown[] = [];
  let checks = 0;
  let throttles = stubs.throttleFinalize ?? 0;
  const sm = new BoxStateMachine(definition, 0.0001, async (state: TaskState, taskInput: unknown) => {
    calls.push(state.name);
    const args = taskInput as Record<string, unknown>;
    if (state.name.startsWith('Resolve'))
      return stubs.skipped
        ? { skipped: true, businessDate: '2022-05-28', reason: 'weekend' }
        : { skipped: false, businessDate: '2022-05-24', anomesdia: 20220524 };
    if (state.name.endsWith('Backlog')) {
      const answer = stubs.backlog[Math.min(Math.floor(checks++ / 2), stubs.backlog.length - 1)];
      return {
        Attributes: {
          ApproximateNumberOfMessages: answer.visible,
          ApproximateNumberOfMessagesNotVisible: answer.inFlight,
        },
      };
    }
    if (state.name.startsWith('Finalize')) {
      if (throttles-- > 0)
        throw Object.assign(new Error('Rate Exceeded.'), { name: 'Lambda.TooManyRequestsException' });
      finalized.push(args);
      return { anomesdia: args['anomesdia'], tables: [] };
    }
    if (state.name === 'RecordRun') {
      recorded.push(args);
      return { status: 'complete' };
    }
    if (state.name === 'NotifyFailure') return { MessageId: '1' };
    throw new Error(`unexpected task ${state.name}`);
  });
  const result = await sm.execute(
    input,
    'arn:aws:states:sa-east-1:123456789012:stateMachine:Finalize',
    'arn:aws:iam::123456789012:role/R',
  );
  return { result, calls, finalized, recorded };
}

const empty = { visible: '0', inFlight: '0' };
const busy = { visible: '3', inFlight: '10' };

describe('finalize workflow', () => {
  it('finalizes only after seeing the queues drained twice in a row; every task gets the resolved date', async () => {
    const { result, calls, finalized } = await run(
      { backlog: [busy, empty, busy, empty, empty] },
      { date: '2022-05-24' },
    );
    expect(result.status).toBe('SUCCEEDED');
    expect(calls.filter((c) => c === 'acoesBacklog')).toHaveLength(5);
    expect(calls[0]).toBe('ResolveGivenDate');
    expect(finalized).toEqual(
      expect.arrayContaining([
        { anomesdia: 20220524, tables: ['sor_acoes', 'sot_acoes'] },
        { anomesdia: 20220524, tables: ['sor_fiis', 'sot_fiis'] },
        { anomesdia: 20220524, tables: ['spec_cotacoes', 'raw_pages', 'summary_acoes', 'summary_fiis'] },
      ]),
    );
    expect(finalized).toHaveLength(3);
    expect(calls.indexOf('FinalizeSpec')).toBeGreaterThan(
      Math.max(calls.indexOf('FinalizeAcoes'), calls.indexOf('FinalizeFiis')),
    );
  });

  it('ends by recording the finalized day in the run manifest, with the execution start time', async () => {
    const { calls, recorded } = await run({ backlog: [empty] }, { date: '2022-05-24' });
    expect(calls.at(-1)).toBe('RecordRun');
    expect(recorded).toEqual([
      { record: true, anomesdia: 20220524, startedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) },
    ]);
  });

  it('resolves today when no date is given and ends at once on a non-trading day', async () => {
    const { result, calls } = await run({ backlog: [empty], skipped: true });
    expect(result.status).toBe('SUCCEEDED');
    expect(calls).toEqual(['ResolveToday']);
  });

  it('retries a throttled finalize call (new accounts often have a concurrency quota of 10)', async () => {
    const { result, finalized } = await run({ backlog: [empty], throttleFinalize: 3 }, { date: '2022-05-24' });
    expect(result.status).toBe('SUCCEEDED');
    expect(finalized).toHaveLength(3);
  });

  it('gives up after the maximum wait, notifies and fails the execution', async () => {
    const { result, calls, finalized } = await run({ backlog: [busy] }, { date: '2022-05-24' });
    expect(result).toMatchObject({ status: 'FAILED', error: 'FinalizeFailed' });
    expect(calls.filter((c) => c === 'acoesBacklog')).toHaveLength(76);
    expect(calls.at(-1)).toBe('NotifyFailure');
    expect(finalized).toEqual([]);
    expect(calls).not.toContain('RecordRun');
  });
});
