import { ObjectNotFoundError, countObjects, table } from '@b3lake/lake';
import { tempLake, type TempLake } from '../../test-support/lake';
import { extractStep, type Extracted } from './extract';
import { finalizeStep } from './finalize';
import { prepareStep, specializeStep } from './prepare';

const D = 20220524;
const day = { anomesdia_exec: D };

describe('prepareStep / specializeStep', () => {
  let lake: TempLake;
  let petr4: Extracted;
  let vale3: Extracted;
  beforeEach(async () => {
    lake = tempLake();
    petr4 = await extractStep(lake.ctx, { ticker: 'PETR4', kind: 'acoes', anomesdia: D });
    vale3 = await extractStep(lake.ctx, { ticker: 'VALE3', kind: 'acoes', anomesdia: D });
  });
  afterEach(() => lake.cleanup());

  it('write the per-ticker SoT and Spec objects while the day is open', async () => {
    expect(await prepareStep(lake.ctx, petr4)).toEqual({
      written: 'tbsot_fundamentus_indicadores_acoes_prep/anomesdia_exec=20220524/PETR4.parquet',
    });
    expect(await specializeStep(lake.ctx, petr4)).toEqual({
      written: 'tbspec_fundamentus_cotacao_ativos/anomesdia_exec=20220524/PETR4.parquet',
    });
  });

  it('skip when they run after finalize compacted their source away', async () => {
    await finalizeStep(lake.ctx, D, ['sor_acoes', 'sot_acoes', 'spec_cotacoes']);
    lake.puts.length = 0;
    expect(await prepareStep(lake.ctx, petr4)).toEqual({ skipped: 'finalized' });
    expect(await specializeStep(lake.ctx, petr4)).toEqual({ skipped: 'finalized' });
    expect(lake.puts).toEqual([]);
  });

  it('skip the write when the target is already compacted, even though the source object is still there', async () => {
    // Finalize ran for SoT only: the SoR per-ticker objects survive, the SoT partition is compacted.
    await finalizeStep(lake.ctx, D, ['sot_acoes']);
    lake.puts.length = 0;
    expect(await prepareStep(lake.ctx, vale3)).toEqual({ skipped: 'finalized' });
    expect(lake.puts).toEqual([]);
    expect(await countObjects(lake.store('sot'), table('sot_acoes'), day)).toBe(1);
  });

  it('still fail when the source object is missing and the day is not finalized', async () => {
    await expect(prepareStep(lake.ctx, { ...petr4, ticker: 'ITUB4' })).rejects.toThrow(ObjectNotFoundError);
    await expect(specializeStep(lake.ctx, petr4)).rejects.toThrow(ObjectNotFoundError);
  });

  it('skip when the source was compacted but finalize has not written the target yet', async () => {
    // Between finalize's SoR compaction and its SoT write: the source object is gone, SoT still open.
    await finalizeStep(lake.ctx, D, ['sor_acoes']);
    lake.puts.length = 0;
    expect(await prepareStep(lake.ctx, petr4)).toEqual({ skipped: 'finalized' });
    expect(lake.puts).toEqual([]);
  });

  it('remove their own write when finalize compacted the target while it was in flight', async () => {
    const sot = lake.store('sot');
    const racing: typeof lake.ctx = {
      ...lake.ctx,
      stores: (layer) => {
        const store = lake.ctx.stores(layer);
        if (layer !== 'sot') return store;
        // Finalize compacts SoT right after this step's write lands (it listed the partition before).
        return {
          ...store,
          location: store.location,
          list: store.list.bind(store),
          get: store.get.bind(store),
          delete: store.delete.bind(store),
          put: async (key: string, body: Uint8Array) => {
            await store.put(key, body);
            await sot.put(
              'tbsot_fundamentus_indicadores_acoes_prep/anomesdia_exec=20220524/part-0123456789abcdef.parquet',
              body,
            );
          },
        };
      },
    };
    expect(await prepareStep(racing, vale3)).toEqual({ skipped: 'finalized' });
    expect((await sot.list('tbsot_fundamentus_indicadores_acoes_prep/')).map((o) => o.key)).toEqual([
      'tbsot_fundamentus_indicadores_acoes_prep/anomesdia_exec=20220524/part-0123456789abcdef.parquet',
    ]);
  });
});
