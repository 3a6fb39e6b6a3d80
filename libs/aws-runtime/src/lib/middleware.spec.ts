import type { Context } from 'aws-lambda';
import { captureOutput } from '../testing';
import { withPowertools } from './middleware';
import { logger, metrics, MetricUnit, tracer } from './observability';

const context = { functionName: 'b3lake-test-fn', awsRequestId: 'req-1' } as Context;

describe('withPowertools', () => {
  let out: ReturnType<typeof captureOutput>;
  beforeEach(() => (out = captureOutput()));
  afterEach(() => out.restore());
  const logged = (message: string) => out.lines().filter((l) => l['message'] === message);
  const emf = () => out.lines().filter((l) => '_aws' in l);

  it('resets the keys a handler appended, so none leaks into the next invocation of a warm container', async () => {
    const handler = withPowertools(async (event: { ticker?: string }) => {
      if (event.ticker) logger.appendKeys({ ticker: event.ticker });
      logger.info('working');
      return 'done';
    });
    expect(await handler({ ticker: 'PETR4' }, context)).toBe('done');
    expect(await handler({}, { ...context, awsRequestId: 'req-2' })).toBe('done');
    expect(logged('working').map((l) => [l['function_request_id'], l['ticker']])).toEqual([
      ['req-1', 'PETR4'],
      ['req-2', undefined],
    ]);
  });

  it('flushes the metrics after the invocation, also when the handler throws', async () => {
    const handler = withPowertools(async (_event: object) => {
      metrics.addMetric('tickersFailed', MetricUnit.Count, 1);
      throw new Error('boom');
    });
    await expect(handler({}, context)).rejects.toThrow('boom');
    expect(emf().filter((l) => l['tickersFailed'] === 1)).toHaveLength(1);
    // Flushed: the next invocation starts with no metric of the previous one.
    await withPowertools(async (_event: object) => metrics.addMetric('rowsWritten', MetricUnit.Count, 2))({}, context);
    expect(emf().filter((l) => 'rowsWritten' in l)).toEqual([expect.not.objectContaining({ tickersFailed: 1 })]);
  });

  it('has nothing to warn about when an invocation counts nothing (a holiday, a resolve call)', async () => {
    await withPowertools(async (_event: object) => 'nothing counted')({}, context);
    expect(out.text()).not.toMatch(/No application metrics/);
    expect(out.lines().filter((l) => l['level'] === 'WARN')).toEqual([]);
  });

  it('runs without a Lambda context (specs) and traces nothing outside Lambda', async () => {
    expect(await withPowertools(async (event: { n: number }) => event.n + 1)({ n: 1 })).toBe(2);
    expect((await tracer()).isTracingEnabled()).toBe(false);
  });
});
