import { readPartition, table } from '@b3lake/lake';
import { tempLake, type TempLake } from '../test-support/lake';
import type { DeadLetter } from './dead-letters';
import { runDaily } from './run-daily';

describe('runDaily', () => {
  let lake: TempLake;
  beforeEach(() => (lake = tempLake()));
  afterEach(() => lake.cleanup());

  it('lands a ticker with its SoR row; finalize derives SoT and Spec, no per-ticker SoT or Spec writes', async () => {
    const letters: DeadLetter[][] = [];
    const summary = await runDaily(lake.ctx, {
      date: '2022-05-24',
      kinds: ['acoes', 'fiis'],
      concurrency: 2,
      deadLetters: { replace: async (_d, l) => void letters.push([...l]) },
    });

    expect(summary.tickers).toEqual({ ok: 6, failed: 0, total: 6 });
    expect(letters).toEqual([[]]);
    const perTicker = lake.puts.filter((k) =>
      /^(sot|spec):tb(sot|spec)_fundamentus_(indicadores|cotacao)[^/]*\/[^/]+\/[A-Z0-9]+\.parquet$/.test(k),
    );
    expect(perTicker).toEqual([]);
    const spec = await readPartition(lake.store('spec'), table('spec_cotacoes'), { anomesdia_exec: 20220524 });
    expect(spec.map((r) => r['codigo_ticker_ativo'])).toEqual([
      'HGLG11',
      'ITUB4',
      'MXRF11',
      'PETR4',
      'TAEE11',
      'VALE3',
    ]);
    expect(summary.tables.find((t) => t.table === table('sot_acoes').name)).toMatchObject({ rows: 4, objectsAfter: 1 });
  });
});
