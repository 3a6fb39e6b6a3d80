import type { RequestOptions } from '@b3lake/scraper';
import { fixtureSource, tempLake } from '../../test-support/lake';
import { extractStep } from './extract';

describe('extractStep', () => {
  it('passes the request bounds (deadline, signal) to the source, writes nothing when the fetch fails', async () => {
    const lake = tempLake();
    try {
      const seen: (RequestOptions | undefined)[] = [];
      lake.ctx.fundamentus = {
        ...fixtureSource,
        fetchDetailPage: async (ticker, options) => {
          seen.push(options);
          if (ticker === 'VALE3') throw Object.assign(new Error('deadline reached'), { code: 'DEADLINE_EXCEEDED' });
          return fixtureSource.fetchDetailPage(ticker, options);
        },
      };
      const signal = new AbortController().signal;
      await expect(
        extractStep(lake.ctx, { ticker: 'PETR4', kind: 'acoes', anomesdia: 20220524 }, { deadline: 123, signal }),
      ).resolves.toEqual({ ticker: 'PETR4', kind: 'acoes', anomesdia: 20220524 });
      await expect(extractStep(lake.ctx, { ticker: 'VALE3', kind: 'acoes', anomesdia: 20220524 })).rejects.toThrow(
        'deadline reached',
      );
      expect(seen).toEqual([{ deadline: 123, signal }, undefined]);
      expect(lake.puts.filter((k) => k.includes('VALE3'))).toEqual([]);
    } finally {
      lake.cleanup();
    }
  });
});
