import { SLOW_PAGE_MS, concurrencyWarning, usefulConcurrency } from './politeness';

describe('usefulConcurrency', () => {
  it('is ceil(latency / interval) + 1: the requests a paced host keeps in flight, plus the one at the gate', () => {
    expect(usefulConcurrency(250, 2000)).toBe(9);
    expect(usefulConcurrency(1000, 2000)).toBe(3);
    expect(usefulConcurrency(300, 2000)).toBe(8);
    expect(usefulConcurrency(5000, 2000)).toBe(2);
  });

  it('is unbounded without a minimum interval', () => {
    expect(usefulConcurrency(0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('assumes pages as slow as 2 s by default', () => {
    expect(SLOW_PAGE_MS).toBe(2000);
    expect(usefulConcurrency(250)).toBe(usefulConcurrency(250, 2000));
  });
});

describe('concurrencyWarning', () => {
  it('says nothing for the defaults (8 requests in flight, 250 ms apart)', () => {
    expect(concurrencyWarning(8, 250)).toBeUndefined();
  });

  it('says nothing up to the useful concurrency, and warns one above it', () => {
    expect(concurrencyWarning(9, 250)).toBeUndefined();
    expect(concurrencyWarning(10, 250)).toMatch(/^--concurrency 10 is no faster than 9: --min-interval 250 /);
  });

  it('says nothing without a minimum interval, whatever the concurrency', () => {
    expect(concurrencyWarning(64, 0)).toBeUndefined();
  });

  it('says nothing for a single request in flight', () => {
    expect(concurrencyWarning(1, 60_000)).toBeUndefined();
  });

  it('names the pace the interval allows, the useful concurrency and the way to go faster, on one line', () => {
    const warning = concurrencyWarning(8, 1000);
    expect(warning).toBe(
      '--concurrency 8 is no faster than 3: --min-interval 1000 spaces requests to one host 1000 ms apart ' +
        '(at most 1/s), a pace 3 in flight keep even with pages taking 2 s; lower --min-interval to go faster ' +
        '(politely)',
    );
    expect(warning).not.toContain('\n');
  });

  it('rounds the pace to one decimal', () => {
    expect(concurrencyWarning(32, 300)).toContain('(at most 3.3/s)');
  });

  it('follows a latency given by the caller', () => {
    expect(concurrencyWarning(8, 250, 500)).toMatch(/no faster than 3: .* pages taking 0\.5 s/);
  });
});
