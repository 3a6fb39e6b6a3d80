import { fundValues, stockValues } from './asset-values';
import { seededRandom } from './synthetic';

const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);
const stocks = SEEDS.map((seed) => stockValues(seededRandom(seed)));
const funds = SEEDS.map((seed) => fundValues(seededRandom(seed)));
const close = (a: number, b: number, relative = 1e-9) => Math.abs(a - b) <= relative * Math.max(1, Math.abs(b));

describe('stockValues', () => {
  it('gives every column a finite number', () => {
    for (const v of [...stocks, ...funds]) expect(Object.entries(v).filter(([, n]) => !Number.isFinite(n))).toEqual([]);
  });

  it('keeps the price and the previous close inside the 52-week range', () => {
    for (const v of stocks) {
      const previous = v['vlr_cot'] / (1 + v['pct_var_dia']);
      expect(v['vlr_min_52_sem']).toBeLessThanOrEqual(Math.min(v['vlr_cot'], previous));
      expect(v['vlr_max_52_sem']).toBeGreaterThanOrEqual(Math.max(v['vlr_cot'], previous));
    }
  });

  it('derives the multiples from the per-share figures and the statements', () => {
    for (const v of stocks) {
      expect(close(v['vlr_ind_p_sobre_l'], v['vlr_cot'] / v['vlr_ind_lpa'])).toBe(true);
      expect(close(v['vlr_ind_p_sobre_vp'], v['vlr_cot'] / v['vlr_ind_vpa'])).toBe(true);
      expect(close(v['vlr_ind_roe'], v['vlr_ind_lpa'] / v['vlr_ind_vpa'], 1e-4)).toBe(true);
      expect(close(v['vlr_mercado'], v['vlr_cot'] * v['num_acoes'], 1e-5)).toBe(true);
      expect(v['vlr_firma']).toBe(v['vlr_mercado'] + v['vlr_divida_liq']);
      expect(v['vlr_divida_liq']).toBe(v['vlr_divida_bruta'] - v['vlr_disponibilidades']);
      expect(close(v['vlr_ind_psr'], v['vlr_mercado'] / v['vlr_receita_liq_ult_12m'])).toBe(true);
      expect(close(v['vlr_ind_margem_liq'], v['vlr_lucro_liq_ult_12m'] / v['vlr_receita_liq_ult_12m'], 1e-4)).toBe(
        true,
      );
      expect(v['vlr_ind_margem_bruta']).toBeGreaterThanOrEqual(v['vlr_ind_margem_ebit']);
    }
  });

  it('gives some companies a loss, and a negative P/L with it', () => {
    const losses = stocks.filter((v) => v['vlr_lucro_liq_ult_12m'] < 0);
    expect(losses.length).toBeGreaterThan(5);
    expect(losses.every((v) => v['vlr_ind_p_sobre_l'] < 0 && v['vlr_ind_lpa'] < 0)).toBe(true);
  });

  it('spreads prices and ranges: no two companies alike', () => {
    expect(new Set(stocks.map((v) => v['vlr_cot'])).size).toBeGreaterThan(180);
    expect(new Set(stocks.map((v) => `${v['vlr_min_52_sem']}-${v['vlr_max_52_sem']}`)).size).toBe(stocks.length);
  });

  it('keeps a page’s own quote when anchored to it', () => {
    const v = stockValues(seededRandom(1), { price: 78.1, dayChange: 0.0125, shares: 4_539_010_000 });
    expect([v['vlr_cot'], v['pct_var_dia'], v['num_acoes']]).toEqual([78.1, 0.0125, 4_539_010_000]);
    expect(v['vlr_min_52_sem']).toBeLessThanOrEqual(78.1);
  });

  it('draws the same values from the same seed', () => {
    expect(stockValues(seededRandom(7))).toEqual(stockValues(seededRandom(7)));
  });
});

describe('fundValues', () => {
  it('keeps the price inside the 52-week range and derives yields and totals per share', () => {
    for (const v of funds) {
      expect(v['vlr_min_52_sem']).toBeLessThanOrEqual(v['vlr_cot']);
      expect(v['vlr_max_52_sem']).toBeGreaterThanOrEqual(v['vlr_cot']);
      expect(close(v['vlr_div_yield'], v['vlr_dividendo_sobre_cota'] / v['vlr_cot'])).toBe(true);
      expect(close(v['vlr_p_sobre_vp'], v['vlr_cot'] / v['vlr_vp_sobre_cota'])).toBe(true);
      expect(close(v['vlr_mercado'], v['vlr_cot'] * v['num_cotas'], 1e-5)).toBe(true);
      expect(close(v['vlr_cap_rate'], v['vlr_aluguel_por_m2'] / v['vlr_do_m2'])).toBe(true);
      expect(v['qtd_imoveis']).toBeGreaterThanOrEqual(1);
    }
  });

  it('gives a paper fund no property values', () => {
    const v = fundValues(seededRandom(3), {}, false);
    expect(['qtd_imoveis', 'vlr_do_m2', 'vlr_cap_rate', 'vlr_vacancia_media'].filter((c) => c in v)).toEqual([]);
  });
});
