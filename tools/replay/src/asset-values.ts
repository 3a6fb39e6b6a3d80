import { round, significant } from './page-text';

/** An asset's numbers by column name (@b3lake/columns), as its pages print them. */
export type AssetValues = Readonly<Record<string, number>>;

/** Values a page already has that the generated ones must agree with (a fixture's own quote). */
export interface Anchors {
  price?: number;
  dayChange?: number;
  shares?: number;
}

type Random = () => number;
const between = (random: Random, low: number, high: number) => low + random() * (high - low);
/** Spread like prices and share counts are: as many small as large, order of magnitude-wise. */
const logBetween = (random: Random, low: number, high: number) =>
  Math.exp(between(random, Math.log(low), Math.log(high)));
const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/**
 * The quote block every asset has: price, the day's change, a 52-week range holding both today's
 * and yesterday's price, changes over a month, 30 days and 12 months from prices inside that
 * range, and six calendar years.
 */
function quote(random: Random, anchors: Anchors, price: number, volatility: number): Record<string, number> {
  const dayChange = anchors.dayChange ?? round((random() - 0.5) * volatility * 0.1, 4);
  const previous = price / (1 + dayChange);
  const min = Math.floor(Math.min(price, previous) * between(random, 1 - volatility * 0.8, 0.98) * 100) / 100;
  const max = Math.ceil(Math.max(price, previous) * between(random, 1.02, 1 + volatility) * 100) / 100;
  const changeFrom = (past: number) => round(price / clamp(past, min, max) - 1, 4);
  const year = () => round(between(random, -volatility * 0.8, volatility * 1.2), 4);
  // One literal with fixed keys: objects of one shape stay fast to copy (a market is ~1,400 of them).
  return {
    vlr_cot: price,
    pct_var_dia: dayChange,
    vlr_min_52_sem: min,
    vlr_max_52_sem: max,
    pct_var_mes: changeFrom(price * between(random, 0.92, 1.08)),
    pct_var_30d: changeFrom(price * between(random, 0.88, 1.12)),
    pct_var_12m: changeFrom(between(random, min, max)),
    pct_var_ano_a0: year(),
    pct_var_ano_a1: year(),
    pct_var_ano_a2: year(),
    pct_var_ano_a3: year(),
    pct_var_ano_a4: year(),
    pct_var_ano_a5: year(),
  };
}

/**
 * A company's numbers, consistent with each other: per-share figures rounded as printed first,
 * then every ratio derived from them and the statements (P/L = price / LPA, ROE = LPA / VPA,
 * market value = price × shares, EV = market value + net debt, margins from revenue…).
 * About one company in eight has a loss. Bank-only amounts are included; a page without them
 * simply has no place for them.
 */
export function stockValues(random: Random, anchors: Anchors = {}): AssetValues {
  const price = anchors.price ?? round(logBetween(random, 3, 120));
  const shares = anchors.shares ?? significant(logBetween(random, 2e8, 6e9));
  const market = significant(price * shares);
  const loss = random() < 0.12;
  const lpa = round(price / (loss ? -between(random, 4, 40) : between(random, 4, 25))) || (loss ? -0.01 : 0.01);
  const vpa = round(price / between(random, 0.5, 3.5)) || 0.01;
  const equity = significant(vpa * shares);
  const netIncome = significant(lpa * shares);
  const netMargin = loss ? -between(random, 0.02, 0.15) : between(random, 0.04, 0.25);
  const revenue = significant(netIncome / netMargin);
  const ebitMargin = netMargin + between(random, 0.03, 0.15);
  const ebit = significant(revenue * ebitMargin);
  const assets = significant(equity * between(random, 1.6, 3.5));
  const grossDebt = significant(equity * between(random, 0.1, 1.2));
  const cash = significant(grossDebt * between(random, 0.1, 0.7));
  const netDebt = grossDebt - cash;
  const firm = market + netDebt;
  const currentAssets = significant(assets * between(random, 0.15, 0.4));
  const ratio = round(between(random, 0.8, 2.5));
  // Never about 1: working capital would be nil and P/Cap. Giro infinite.
  const currentRatio = Math.abs(ratio - 1) < 0.05 ? ratio + 0.1 : ratio;
  const workingCapital = currentAssets - currentAssets / currentRatio;
  const quarter = (yearly: number) => significant((yearly / 4) * between(random, 0.85, 1.15));
  const intermediation = significant(assets * between(random, 0.03, 0.06));
  const services = significant(intermediation * between(random, 0.3, 0.6));
  const volume = significant(market * between(random, 0.0005, 0.006));
  // Object.assign, not a spread: a spread followed by sixty keys takes V8 ~150 µs per object.
  return Object.assign(quote(random, anchors, price, 0.4), {
    num_acoes: shares,
    vlr_mercado: market,
    vlr_firma: firm,
    vol_med_neg_2m: volume,
    vlr_liq_media_2m: volume,
    vlr_ind_lpa: lpa,
    vlr_ind_vpa: vpa,
    vlr_ind_p_sobre_l: price / lpa,
    vlr_ind_p_sobre_vp: price / vpa,
    vlr_ind_p_sobre_ebit: market / ebit,
    vlr_ind_psr: market / revenue,
    vlr_ind_p_sobre_ativ: market / assets,
    vlr_ind_p_sobre_cap_giro: market / workingCapital,
    vlr_ind_p_sobre_ativ_circ_liq: market / (currentAssets - (assets - equity)),
    vlr_ind_div_yield: random() < 0.1 ? 0 : between(random, 0.01, 0.12),
    vlr_ind_ev_sobre_ebit: firm / ebit,
    vlr_ind_ev_sobre_ebitda: firm / (ebit + assets * between(random, 0.02, 0.05)),
    pct_cresc_rec_liq_ult_5a: between(random, -0.05, 0.25),
    vlr_ind_margem_bruta: clamp(ebitMargin + between(random, 0.08, 0.3), Math.max(0.02, ebitMargin), 0.9),
    vlr_ind_margem_ebit: ebitMargin,
    vlr_ind_margem_liq: netMargin,
    vlr_ind_ebit_sobre_ativo: ebit / assets,
    vlr_ind_roic: (ebit * 0.66) / (equity + netDebt),
    vlr_ind_roe: netIncome / equity,
    vlr_liquidez_corr: currentRatio,
    vlr_ind_divida_bruta_sobre_patrim: grossDebt / equity,
    vlr_ind_divida_liq_sobre_patrim: netDebt / equity,
    vlr_ind_giro_ativos: revenue / assets,
    vlr_ativo: assets,
    vlr_disponibilidades: cash,
    vlr_ativ_circulante: currentAssets,
    vlr_divida_bruta: grossDebt,
    vlr_divida_liq: netDebt,
    vlr_patrim_liq: equity,
    vlr_receita_liq_ult_12m: revenue,
    vlr_receita_liq_ult_3m: quarter(revenue),
    vlr_ebit_ult_12m: ebit,
    vlr_ebit_ult_3m: quarter(ebit),
    vlr_lucro_liq_ult_12m: netIncome,
    vlr_lucro_liq_ult_3m: quarter(netIncome),
    vlr_depositos: significant(assets * between(random, 0.3, 0.5)),
    vlr_carteira_credito: significant(assets * between(random, 0.3, 0.5)),
    vlr_result_int_financ_ult_12m: intermediation,
    vlr_result_int_financ_ult_3m: quarter(intermediation),
    vlr_rec_servicos_ult_12m: services,
    vlr_rec_servicos_ult_3m: quarter(services),
  });
}

/**
 * A real-estate fund's numbers, consistent with each other: dividend and FFO per share from the
 * yields, P/VP from the book value per share, totals from per-share figures × shares. A fund
 * with `properties` gets a portfolio (count, area, price and rent per m², cap rate = rent /
 * price, vacancy); a paper fund has none, and its page keeps the template's `0` and `-`.
 */
export function fundValues(random: Random, anchors: Anchors = {}, properties = true): AssetValues {
  const price = anchors.price ?? round(logBetween(random, 6, 180));
  const shares = anchors.shares ?? Math.round(logBetween(random, 5e6, 5e8));
  const market = significant(price * shares);
  const bookPerShare = round(price / between(random, 0.6, 1.25));
  const equity = significant(bookPerShare * shares);
  const dividendPerShare = round(price * between(random, 0.06, 0.15));
  const ffoPerShare = round(dividendPerShare * between(random, 0.85, 1.1));
  const distributed = significant(dividendPerShare * shares);
  const ffo = significant(ffoPerShare * shares);
  const income = significant(ffo * between(random, 1.05, 1.3));
  const sales = significant(income * between(random, 0.01, 0.1));
  const quarter = (yearly: number) => significant((yearly / 4) * between(random, 0.85, 1.15));
  const volume = significant(market * between(random, 0.001, 0.005));
  return Object.assign(
    quote(random, anchors, price, 0.2),
    {
      num_cotas: shares,
      vlr_mercado: market,
      vol_med_neg_2m: volume,
      vlr_liquidez_media: volume,
      vlr_ffo_yield: ffoPerShare / price,
      vlr_ffo_sobre_cota: ffoPerShare,
      vlr_div_yield: dividendPerShare / price,
      vlr_dividendo_sobre_cota: dividendPerShare,
      vlr_p_sobre_vp: price / bookPerShare,
      vlr_vp_sobre_cota: bookPerShare,
      vlr_rec_bruta_ult_12m: income,
      vlr_rec_bruta_ult_3m: quarter(income),
      vlr_vend_ativ_ult_12m: sales,
      vlr_vend_ativ_ult_3m: quarter(sales),
      vlr_ffo_ult_12m: ffo,
      vlr_ffo_ult_3m: quarter(ffo),
      vlr_rendim_distr_ult_12m: distributed,
      vlr_rendim_distr_ult_3m: quarter(distributed),
      vlr_ativos: significant(equity * between(random, 1.0, 1.15)),
      vlr_patrim_liq: equity,
    },
    properties ? portfolio(random, equity) : {},
  );
}

/** A brick fund's properties: what the equity buys at a price per m², rented at a cap rate. */
function portfolio(random: Random, equity: number): Record<string, number> {
  const inProperties = between(random, 0.6, 1);
  const pricePerM2 = round(logBetween(random, 1_500, 15_000));
  const area = Math.round((equity * inProperties) / pricePerM2);
  const count = Math.round(clamp(area / logBetween(random, 5_000, 60_000), 1, 80));
  const rentPerM2 = round(pricePerM2 * between(random, 0.06, 0.11));
  return {
    qtd_imoveis: count,
    qtd_unidades: count + Math.floor(random() * count * 2),
    vlr_imoveis_sobre_pl: inProperties,
    total_area_m2: area,
    vlr_do_m2: pricePerM2,
    vlr_aluguel_por_m2: rentPerM2,
    vlr_cap_rate: rentPerM2 / pricePerM2,
    vlr_vacancia_media: random() < 0.3 ? 0 : between(random, 0.01, 0.2),
  };
}
