import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PROVENTOS_TABLE_COLUMNS as C, readPartition } from '@b3lake/lake';
import { FIXTURES, tempLake, type TempLake } from '../../test-support/lake';
import { PROVENTOS, proventosArchiveKey, proventosStep } from './step';

const WEGE3 = readFileSync(join(FIXTURES, 'fundamentus', 'proventos_WEGE3.html')).toString('latin1');
const HGLG11 = readFileSync(join(FIXTURES, 'fundamentus', 'fii_proventos_HGLG11.html')).toString('latin1');

/** The page's first distribution row: `<tr class="">` … `</tr>` after `<tbody>`. */
function rowsOf(html: string): string[] {
  const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  return body.match(/<tr[\s\S]*?<\/tr>/g) ?? [];
}

describe('proventos step', () => {
  let lake: TempLake;
  let served: Record<string, string>;
  beforeEach(() => {
    lake = tempLake();
    served = { WEGE3, HGLG11 };
    lake.ctx.fundamentus = {
      ...lake.ctx.fundamentus,
      fetchProventosPage: async (ticker: string) => ({
        url: `https://fixture/proventos/${ticker}`,
        status: 200,
        headers: new Headers(),
        body: Buffer.from(served[ticker], 'latin1'),
        attempts: 1,
        fetchedAt: new Date('2026-11-27T22:00:00Z'),
      }),
    };
  });
  afterEach(() => lake.cleanup());

  const history = (ticker: string) => readPartition(lake.store('sot'), PROVENTOS, { ticker });

  it("replaces a ticker's history with its page's rows, per share also where the base is 1,000", async () => {
    const outcome = await proventosStep(lake.ctx, { ticker: 'WEGE3', kind: 'acoes', anomesdia: 20261127 });
    const rows = await history('WEGE3');
    expect(outcome).toMatchObject({ rows: rows.length, removed: [], hadHistory: false });
    expect(outcome.added).toHaveLength(rows.length);
    expect(rows[0]).toMatchObject({
      [C.ticker]: 'WEGE3',
      [C.kind]: 'acao',
      [C.exDate]: '2026-03-20',
      [C.paymentDate]: '2026-08-15',
      [C.category]: 'jcp',
      [C.value]: 0.12,
      [C.shareBase]: 1,
      [C.perShare]: 0.12,
    });
    for (const row of rows) expect(row[C.perShare]).toBe(Number(row[C.value]) / Number(row[C.shareBase]));
    expect(rows.filter((r) => r[C.shareBase] === 1000).length).toBeGreaterThan(0);
    const archived = await lake.store('landing').get(proventosArchiveKey(20261127, 'acoes', 'WEGE3'));
    expect(Buffer.from(gunzipSync(archived)).toString('latin1')).toBe(WEGE3);
    expect(lake.partitions).toEqual([{ table: PROVENTOS.name, values: [{ ticker: 'WEGE3' }] }]);
  });

  it('gives identical rows when the same page is fetched again, and reports nothing changed', async () => {
    await proventosStep(lake.ctx, { ticker: 'HGLG11', kind: 'fiis', anomesdia: 20261120 });
    const first = await history('HGLG11');
    const again = await proventosStep(lake.ctx, { ticker: 'HGLG11', kind: 'fiis', anomesdia: 20261127 });
    expect(again).toMatchObject({ added: [], removed: [], hadHistory: true });
    expect(await history('HGLG11')).toEqual(first);
    expect(first.every((r) => r[C.kind] === 'fii' && r[C.shareBase] === 1)).toBe(true);
  });

  it('reports a vanished row and a new one, and keeps the keys of the rows that stayed', async () => {
    await proventosStep(lake.ctx, { ticker: 'WEGE3', kind: 'acoes', anomesdia: 20261120 });
    const before = await history('WEGE3');
    const rows = rowsOf(WEGE3);
    const newTop = rows[0].replace('20/03/2026', '24/11/2026').replace('0,1200', '0,0900');
    served['WEGE3'] = WEGE3.replace(rows[4], '').replace(rows[0], newTop + rows[0]);
    const outcome = await proventosStep(lake.ctx, { ticker: 'WEGE3', kind: 'acoes', anomesdia: 20261127 });
    expect(outcome.added).toEqual([expect.stringMatching(/^2026-11-24\|JRS CAP PR.PRIO\|0\.09\|1\|2026-08-15$/)]);
    expect(outcome.removed).toEqual([before[4][C.id]]);
    const after = await history('WEGE3');
    const kept = (rows: typeof before) => rows.map((r) => r[C.id]).filter((id) => id !== before[4][C.id]);
    expect(after.slice(1).map((r) => r[C.id])).toEqual(kept(before));
  });

  it('numbers exact repeats from the oldest, so a new repeat on top leaves the old keys alone', async () => {
    const rows = rowsOf(WEGE3);
    served['WEGE3'] = WEGE3.replace(rows[0], rows[1] + rows[0]);
    await proventosStep(lake.ctx, { ticker: 'WEGE3', kind: 'acoes', anomesdia: 20261120 });
    const before = (await history('WEGE3')).map((r) => String(r[C.id]));
    served['WEGE3'] = WEGE3.replace(rows[0], rows[1] + rows[1] + rows[0]);
    const outcome = await proventosStep(lake.ctx, { ticker: 'WEGE3', kind: 'acoes', anomesdia: 20261127 });
    const after = (await history('WEGE3')).map((r) => String(r[C.id]));
    expect(outcome.removed).toEqual([]);
    expect(outcome.added).toEqual([after[0]]);
    expect(after[0]).toMatch(/#3$/);
    expect(after.slice(1)).toEqual(before);
  });

  it("refuses a FII's page given as a stock's, writing nothing", async () => {
    served['WEGE3'] = HGLG11;
    await expect(
      proventosStep(lake.ctx, { ticker: 'WEGE3', kind: 'acoes', anomesdia: 20261127 }),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/PROVENTOS_KIND_MISMATCH|LAYOUT_CHANGED/),
    });
    expect(await history('WEGE3')).toEqual([]);
  });
});
