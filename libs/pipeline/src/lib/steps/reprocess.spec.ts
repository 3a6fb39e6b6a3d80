import { readPartition, table, type TableKey } from '@b3lake/lake';
import { tempLake } from '../../test-support/lake';
import { archive, pageArchiveKey } from './archive';
import { extractStep } from './extract';
import { finalizeStep } from './finalize';
import { reprocessDay } from './reprocess';

const D = 20220524;
const day = { anomesdia_exec: D };

describe('reprocessDay', () => {
  it('rebuilds SoR, SoT and Spec from the archived pages alone, identical to the original day', async () => {
    const lake = tempLake();
    try {
      for (const [ticker, kind] of [
        ['PETR4', 'acoes'],
        ['ITUB4', 'acoes'],
        ['HGLG11', 'fiis'],
      ] as const) {
        await extractStep(lake.ctx, { ticker, kind, anomesdia: D });
      }
      await finalizeStep(lake.ctx, D);
      const keys: TableKey[] = ['sor_acoes', 'sor_fiis', 'raw_pages', 'sot_acoes', 'sot_fiis', 'spec_cotacoes'];
      const read = async () =>
        Object.fromEntries(
          await Promise.all(keys.map(async (k) => [k, await readPartition(lake.store(table(k).layer), table(k), day)])),
        );
      const before = await read();
      // No network: a source that fails proves nothing is fetched again.
      lake.ctx.fundamentus = {
        fetchListingPage: () => Promise.reject(new Error('offline')),
        fetchDetailPage: () => Promise.reject(new Error('offline')),
      };
      const result = await reprocessDay(lake.ctx, D);
      expect(result).toMatchObject({ pages: 3, ok: 3, failed: [] });
      expect(await read()).toEqual(before);
    } finally {
      lake.cleanup();
    }
  });

  it('reports a page that no longer parses and rebuilds the others', async () => {
    const lake = tempLake();
    try {
      await extractStep(lake.ctx, { ticker: 'PETR4', kind: 'acoes', anomesdia: D });
      await archive(
        lake.store('landing'),
        pageArchiveKey(D, 'acoes', 'VALE3'),
        new TextEncoder().encode('<html>not a page</html>'),
      );
      const result = await reprocessDay(lake.ctx, D);
      expect(result.ok).toBe(1);
      expect(result.failed).toEqual([
        { key: pageArchiveKey(D, 'acoes', 'VALE3'), error: expect.stringMatching(/layout|Papel|page/i) },
      ]);
      expect((await readPartition(lake.store('sot'), table('sot_acoes'), day)).map((r) => r['nome_papel'])).toEqual([
        'PETR4',
      ]);
    } finally {
      lake.cleanup();
    }
  });
});
