/** The commands `npm run demo` prints: each one runs as printed, from the repository root. */

/** A shell word as typed: quoted only when it must be (SQL with 'literals' in double quotes, where nothing expands). */
export const shellWord = (word: string): string => {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  if (word.includes("'") && !/["$`\\!]/.test(word)) return `"${word}"`;
  return `'${word.replace(/'/g, `'\\''`)}'`;
};

/** The command a user types for `args`, e.g. `npx b3lake tables --data-dir data/demo`. */
export const typed = (args: readonly string[]): string => ['npx', 'b3lake', ...args].map(shellWord).join(' ');

/** The query the demo runs after its run: every quote, each ticker with its own 52-week range. */
export const demoQuery = (dataDir: string): string[] => [
  'query',
  'SELECT codigo_ticker_ativo, tipo_ativo, vlr_cot, vlr_min_52_sem, vlr_max_52_sem, pct_var_dia, pct_var_12m ' +
    'FROM db_b3lake_spec.tbspec_fundamentus_cotacao_ativos ORDER BY pct_var_dia',
  '--data-dir',
  dataDir,
];

/** The year and the days of B3's price history (COTAHIST) the demo backfills from the replay's synthetic files. */
export const DEMO_HISTORY = { year: '2021', days: { from: '2022-05-16', to: '2022-05-23' } } as const;

/** The query the demo runs after its backfill: one ticker's closes, from the history and the day's run. */
export const historyQuery = (dataDir: string): string[] => [
  'query',
  'SELECT dt_pregao, vlr_abertura, vlr_fechamento, qtd_negocios FROM db_b3lake_spec.tbspec_b3_cotacoes_diarias ' +
    "WHERE codigo_ticker = 'PETR4' AND dt_pregao >= DATE '2022-05-16' ORDER BY dt_pregao",
  '--data-dir',
  dataDir,
];

/**
 * What the demo's run does: the daily kinds and the weekly dividend pages (proventos), which a run
 * of a Tuesday (the fixtures' day) leaves out by default.
 */
export const DEMO_KINDS = 'acoes,fiis,ibov,cotahist,proventos';

/**
 * "FIIs by 12-month yield on a date": the yield view (COTAHIST close, cash per share with data com
 * in the 12 months up to the day) on the FIIs of that day (BDI 12 in COTAHIST).
 */
export const yieldQuery = (dataDir: string, date: string): string[] => [
  'query',
  'SELECT y.codigo_ticker, y.vlr_fechamento, y.qtd_proventos_12m, ' +
    'round(y.vlr_proventos_12m, 4) AS vlr_proventos_12m, round(y.pct_yield_12m * 100, 2) AS pct_yield_12m ' +
    'FROM db_b3lake_spec.vwspec_proventos_yield_12m y JOIN db_b3lake_spec.tbspec_b3_cotacoes_diarias c ' +
    'ON c.codigo_ticker = y.codigo_ticker AND c.dt_pregao = y.dt_pregao ' +
    `WHERE y.dt_pregao = DATE '${date}' AND c.cod_bdi = '12' ORDER BY y.pct_yield_12m DESC`,
  '--data-dir',
  dataDir,
];

/** What to try next. */
export const demoHints = (dataDir: string): string[][] => [
  ['tables', '--data-dir', dataDir],
  ['status', '--data-dir', dataDir],
  ['describe', 'tbspec_fundamentus_cotacao_ativos', '--data-dir', dataDir],
  [
    'query',
    'SELECT ticker, pct_participacao FROM "default".tbrefined_b3_carteira_ibov ORDER BY pct_participacao DESC',
    '--data-dir',
    dataDir,
  ],
  [
    'query',
    'SELECT codigo_ticker, vlr_cot, vlr_ind_p_sobre_l, vlr_ind_div_yield ' +
      'FROM db_b3lake_sot.tbsot_fundamentus_resumo_acoes ORDER BY codigo_ticker',
    '--data-dir',
    dataDir,
  ],
  [
    'query',
    'SELECT year(dt_pregao) AS ano, count(*) AS pregoes, min(vlr_fechamento) AS minimo, ' +
      'max(vlr_fechamento) AS maximo FROM db_b3lake_spec.tbspec_b3_cotacoes_diarias ' +
      "WHERE codigo_ticker = 'PETR4' GROUP BY 1 ORDER BY 1",
    '--data-dir',
    dataDir,
  ],
  ['partitions', 'tbsot_b3_cotacoes_historicas', '--data-dir', dataDir],
  [
    'query',
    'SELECT dt_com, tipo_provento, categoria_provento, vlr_provento, qtd_acoes_base, vlr_provento_por_acao, ' +
      "dt_pagamento FROM db_b3lake_sot.tbsot_fundamentus_proventos WHERE codigo_ticker = 'PETR4' " +
      'ORDER BY dt_com DESC LIMIT 8',
    '--data-dir',
    dataDir,
  ],
  ['describe', 'tbsot_fundamentus_proventos', '--data-dir', dataDir],
  ['--help'],
];
