import { date, dbl, int, pct, str, type Column } from './columns';
import { COTAHIST_COLUMNS } from './cotahist-tables';
import { DATABASES } from './databases';
import { PROVENTOS_TABLE_COLUMNS as P } from './proventos-tables';
import { TABLES, table, type TableDef, type TableKey } from './tables';

/**
 * A view over the lake's tables, in SQL both DuckDB and Athena (Trino) run. `sql` receives the
 * qualified name of each table it reads, so staged (AWS) and local names both work.
 */
export interface ViewDef {
  readonly database: string;
  readonly name: string;
  readonly description: string;
  readonly columns: readonly Column[];
  readonly reads: readonly TableKey[];
  readonly sql: (nameOf: (key: TableKey) => string) => string;
}

const Q = COTAHIST_COLUMNS;

/** Distribution categories that are not income (a return of capital): left out of yields. */
export const NOT_INCOME = ['amortizacao'] as const;

/**
 * Per ticker and trading day: the close (spot COTAHIST) and the cash distributed per share in the
 * twelve months up to that day (by data com), and their ratio. Prices and distributions are both
 * as published, per share: neither is adjusted, so a split inside the window mixes scales.
 */
const YIELD_12M: ViewDef = {
  database: DATABASES.spec,
  name: 'vwspec_proventos_yield_12m',
  description:
    'Close and trailing 12-month cash distributions per share (by data com), with their ratio; ' +
    'joins tbspec_b3_cotacoes_diarias and tbsot_fundamentus_proventos',
  columns: [
    str(Q.CODNEG, 'ticker'),
    date(Q.DATPRE, 'trading day'),
    dbl(Q.PREULT, 'closing price; BRL per share'),
    dbl('vlr_proventos_12m', 'cash per share with data com in the 12 months to dt_pregao, amortizations out; BRL'),
    int('qtd_proventos_12m', 'distributions counted in vlr_proventos_12m'),
    pct('pct_yield_12m', 'vlr_proventos_12m / vlr_fechamento (JCP gross of tax)'),
  ],
  reads: ['cotahist_spot', 'proventos'],
  sql: (nameOf) =>
    [
      `SELECT c.${Q.CODNEG}, c.${Q.DATPRE}, c.${Q.PREULT},`,
      `  coalesce(sum(p.${P.perShare}), 0) AS vlr_proventos_12m,`,
      `  CAST(count(p.${P.id}) AS INTEGER) AS qtd_proventos_12m,`,
      `  coalesce(sum(p.${P.perShare}), 0) / nullif(c.${Q.PREULT}, 0) AS pct_yield_12m`,
      `FROM ${nameOf('cotahist_spot')} c`,
      `LEFT JOIN ${nameOf('proventos')} p`,
      `  ON p.${P.ticker} = c.${Q.CODNEG}`,
      // `date - INTERVAL '12' MONTH`: the one spelling DuckDB and Trino both read.
      `  AND p.${P.exDate} > c.${Q.DATPRE} - INTERVAL '12' MONTH`,
      `  AND p.${P.exDate} <= c.${Q.DATPRE}`,
      `  AND p.${P.category} NOT IN (${NOT_INCOME.map((c) => `'${c}'`).join(', ')})`,
      `GROUP BY c.${Q.CODNEG}, c.${Q.DATPRE}, c.${Q.PREULT}`,
    ].join('\n'),
};

/** Every view of the lake. */
export const VIEWS: readonly ViewDef[] = [YIELD_12M];

/** The views whose tables are all among `keys`. */
export function viewsOver(keys: readonly TableKey[]): ViewDef[] {
  return VIEWS.filter((v) => v.reads.every((key) => keys.includes(key)));
}

/** `database.name` of a table, as a view's SQL reads it locally. */
export const localName = (key: TableKey) => `"${table(key).database}"."${table(key).name}"`;

/**
 * The tables a SQL text names (by table or view name, any case), with the tables the named views
 * read; every table when it names none (`SHOW ALL TABLES`, information_schema…). Building only
 * those views spares reading every table's file footers for a query that reads one table.
 */
export function tablesNamedIn(sql: string): readonly TableDef[] {
  const text = sql.toLowerCase();
  const named = (name: string) => new RegExp(`(^|[^a-z0-9_])${name}($|[^a-z0-9_])`).test(text);
  const keys = new Set(TABLES.filter((t) => named(t.name)).map((t) => t.key));
  for (const view of VIEWS) if (named(view.name)) for (const key of view.reads) keys.add(key);
  return keys.size ? TABLES.filter((t) => keys.has(t.key)) : TABLES;
}
