import { HostGate } from './host-gate';
import { backoffDelay, isRetryableStatus, retryAfterMs } from './retry';

describe('backoffDelay', () => {
  const options = { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 };
  it('doubles per attempt with jitter between half and the full ceiling', () => {
    expect([1, 2, 3].map((a) => backoffDelay(a, options))).toEqual([75, 150, 300]);
    expect(backoffDelay(1, { ...options, random: () => 0 })).toBe(50);
    expect(backoffDelay(1, { ...options, random: () => 1 })).toBe(100);
  });
  it('never exceeds maxDelayMs', () => {
    expect(backoffDelay(20, { ...options, random: () => 1 })).toBe(1000);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('2')).toBe(2000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
  });
  it('ignores missing or unreadable values', () => {
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

describe('isRetryableStatus', () => {
  it('retries 408, 429 and 5xx only', () => {
    expect([408, 429, 500, 503, 400, 404].map(isRetryableStatus)).toEqual([true, true, true, true, false, false]);
  });
});

describe('HostGate', () => {
  it('spaces starts per host from the previous actual start and leaves other hosts alone', async () => {
    let now = 1000;
    const slept: number[] = [];
    const gate = new HostGate(
      100,
      () => now,
      async (ms) => {
        slept.push(ms);
        now += ms;
      },
    );
    // Three requests to a, one to b: a waits 100 ms twice, b never.
    await Promise.all(['a', 'a', 'a', 'b'].map((host) => gate.wait(host)));
    expect(slept).toEqual([100, 100]);
    expect(now).toBe(1200);
    now = 5000;
    await gate.wait('a');
    expect(slept).toEqual([100, 100]);
  });

  it('waits again when a timer fires early or the clock is coarse', async () => {
    let now = 0;
    const slept: number[] = [];
    const gate = new HostGate(
      100,
      () => now,
      async (ms) => {
        slept.push(ms);
        now += Math.max(1, ms - 1); // fires a millisecond early (but time always moves)
      },
    );
    await gate.wait('a');
    await gate.wait('a');
    expect(now).toBeGreaterThanOrEqual(100);
    expect(slept).toEqual([100, 1]);
  });
});
