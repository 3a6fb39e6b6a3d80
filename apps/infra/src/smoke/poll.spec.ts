import { PollTimeout, formatDuration, pollUntil, type Clock } from './poll';

const fakeClock = (): Clock & { t: number } => {
  const clock = { t: 0, now: () => clock.t, sleep: async (ms: number) => void (clock.t += ms) };
  return clock;
};

describe('pollUntil', () => {
  it('returns the first value the probe gives, sleeping the interval between calls', async () => {
    const clock = fakeClock();
    let calls = 0;
    await expect(
      pollUntil(async () => (++calls === 3 ? 'ok' : undefined), {
        clock,
        timeoutMs: 60_000,
        intervalMs: 10_000,
        what: 'x',
      }),
    ).resolves.toBe('ok');
    expect(clock.t).toBe(20_000);
  });

  it('times out at the deadline, never sleeping past it', async () => {
    const clock = fakeClock();
    let calls = 0;
    const poll = pollUntil(async () => void calls++, { clock, timeoutMs: 25_000, intervalMs: 10_000, what: 'objects' });
    await expect(poll).rejects.toThrow(PollTimeout);
    await expect(poll).rejects.toThrow('objects: still waiting after 25 s');
    expect(clock.t).toBe(25_000);
    expect(calls).toBe(4); // t = 0, 10, 20, 25 s
  });

  it('formats durations', () => {
    expect([450, 42_000, 185_000, 900_000].map(formatDuration)).toEqual(['450 ms', '42 s', '3 min 5 s', '15 min']);
  });
});
