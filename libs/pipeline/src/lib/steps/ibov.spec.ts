import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPartition, table, type Row, type SqlInput } from '@b3lake/lake';
import { FIXTURES, tempLake } from '../../test-support/lake';
import { ibovStep, refineIbov } from './ibov';

const run = { businessDate: '2022-05-24', anomesdia: 20220524 };
const portfolio = readFileSync(join(FIXTURES, 'b3', 'GetPortfolioDay_IBOV_pt-br.json'));

describe('ibovStep', () => {
  it("archives B3's answer, stores its raw text under the portfolio's own date, refines and catalogs it", async () => {
    const lake = tempLake();
    try {
      lake.ctx.b3 = {
        fetchPortfolioDay: async () =>
          ({
            url: 'https://b3/x',
            status: 200,
            body: new Uint8Array(portfolio),
            fetchedAt: new Date('2022-05-24T21:45:00Z'),
          }) as never,
      };
      const inputs: Record<string, SqlInput>[] = [];
      lake.ctx.sql = {
        transform: async (_sql, given) => {
          inputs.push(given);
          return [
            { date: '2022-05-24', ticker: 'PETR4', nome_ativo: 'PETROBRAS' },
            { date: '2022-05-24', ticker: 'VALE3', nome_ativo: 'VALE' },
          ] as Row[];
        },
      };
      const result = await ibovStep(lake.ctx, run);
      expect(result).toMatchObject({ date: '2022-05-24', refinedRows: 2 });
      expect(result.rawRows).toBe(4); // the project's own fixture holds four assets
      expect(lake.puts[0]).toBe('landing:b3/anomesdia_exec=20220524/GetPortfolioDay_IBOV.json.gz');
      const raw = await readPartition(lake.store('sor'), table('ibov_raw'), { date: '2022-05-24' });
      expect(raw[0]).toMatchObject({ header_date: '24/05/22', index_code: 'IBOV', language: 'pt-br' });
      expect(inputs).toEqual([{ ibov_raw: { table: table('ibov_raw'), partition: { date: '2022-05-24' } } }]);
      expect(lake.partitions.map((p) => p.table)).toEqual(['tbsor_b3_carteira_ibov_raw', 'tbrefined_b3_carteira_ibov']);
      expect(lake.refreshed).toBe(1);
    } finally {
      lake.cleanup();
    }
  });

  it('a ticker that left the index on a re-run of the date loses its refined partition', async () => {
    const lake = tempLake();
    try {
      const answer = (tickers: string[]) => async () =>
        tickers.map((ticker) => ({ date: '2022-05-24', ticker, nome_ativo: ticker }) as Row);
      lake.ctx.sql = { transform: answer(['PETR4', 'OLDS3']) };
      await refineIbov(lake.ctx, '2022-05-24');
      lake.ctx.sql = { transform: answer(['PETR4']) };
      await refineIbov(lake.ctx, '2022-05-24');
      const keys = (await lake.store('refined').list('tbrefined_b3_carteira_ibov/')).map((o) => o.key);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatch(/^tbrefined_b3_carteira_ibov\/date=2022-05-24\/ticker=PETR4\/part-[0-9a-f]+\.parquet$/);
    } finally {
      lake.cleanup();
    }
  });
});
