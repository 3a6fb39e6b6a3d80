import { date, dbl, int, str, ts } from './columns';
import { DATABASES } from './databases';
import type { TableDef } from './tables';

/** The dividend history's columns, by the field of a distribution they hold. */
export const PROVENTOS_TABLE_COLUMNS = {
  id: 'id_provento',
  ticker: 'codigo_ticker',
  kind: 'tipo_ativo',
  exDate: 'dt_com',
  paymentDate: 'dt_pagamento',
  type: 'tipo_provento',
  category: 'categoria_provento',
  value: 'vlr_provento',
  shareBase: 'qtd_acoes_base',
  perShare: 'vlr_provento_por_acao',
  fetchedAt: 'ts_extracao',
} as const;

/** The dividend history's partition: one object per ticker, its whole history, replaced on each fetch. */
export const PROVENTOS_TICKER_KEY = 'ticker';

/**
 * Fundamentus' dividend pages (proventos.php, fii_proventos.php): every cash distribution of every
 * stock and FII, as published. Partitioned by ticker: a fetch replaces one ticker's history whole
 * (idempotent), and a ticker's history is one small object.
 */
export function proventosTables(): TableDef[] {
  const c = PROVENTOS_TABLE_COLUMNS;
  return [
    {
      key: 'proventos',
      database: DATABASES.sot,
      name: 'tbsot_fundamentus_proventos',
      layer: 'sot',
      description: 'Cash distributions of every stock and FII (Fundamentus dividend pages), one row per row published',
      columns: [
        str(c.id, 'row key from its own fields: data com, type, value, base, payment date (#2, #3… for exact repeats)'),
        str(c.ticker, 'ticker'),
        str(c.kind, 'acao or fii'),
        date(c.exDate, 'data com: the last day with rights ("Data" / "Última Data Com")'),
        date(c.paymentDate, 'payment date ("Data de Pagamento"); null where the page prints "-"'),
        str(c.type, 'type as printed ("JRS CAP PRÓPRIO", "Dividendo mensal", "Rendimento"…)'),
        str(c.category, 'type normalized: dividendo, jcp, rendimento, amortizacao, juros or outro'),
        dbl(c.value, 'value as printed, BRL per qtd_acoes_base shares'),
        int(c.shareBase, '"Por quantas ações": shares the value is paid for (1, or 1000 on older rows); 1 for FIIs'),
        dbl(c.perShare, 'BRL per share: vlr_provento / qtd_acoes_base'),
        ts(c.fetchedAt, 'when the page was fetched'),
      ],
      partitionKeys: [str(PROVENTOS_TICKER_KEY, 'ticker')],
      uniqueKey: c.id,
      writtenBy: 'proventos',
    },
  ];
}
