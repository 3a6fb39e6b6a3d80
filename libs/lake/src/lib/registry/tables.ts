import { UnknownTableError } from '../errors';
import { DETAIL_PAGES, LISTING_PAGES, OSCILLATION_COLUMNS, PRICE } from '@b3lake/columns';
import { ASSET_KINDS } from './asset-kinds';
import { cotahistTables } from './cotahist-tables';
import { proventosTables } from './proventos-tables';
import { DATABASES } from './databases';
import { asText, big, date, dbl, int, str, ts, type Column } from './columns';
import {
  ACAO_COLUMNS,
  ACOES_SUMMARY_COLUMNS,
  FII_COLUMNS,
  FIIS_SUMMARY_COLUMNS,
  storedColumn,
} from './fundamentus-columns';

/** Where a table's objects live: one bucket (AWS) or folder (local) per layer. */
export type Layer = 'landing' | 'sor' | 'sot' | 'spec' | 'refined';

/** Every layer, in the order data flows through them. */
export const LAYERS: readonly Layer[] = ['landing', 'sor', 'sot', 'spec', 'refined'];

/**
 * The step that writes a table's objects, in the order a day runs them (finalize then compacts the
 * daily tables). Table groups (registry/groups.ts) and the stack's grants are derived from it.
 */
export const STEPS = [
  'list',
  'extract',
  'prepare',
  'specialize',
  'ibov-ingest',
  'ibov-refine',
  'record-run',
  'cotahist',
  'proventos',
] as const;
export type Step = (typeof STEPS)[number];

export interface TableDef {
  /** Stable key used in code (`sor_acoes`). */
  readonly key: TableKey;
  readonly database: string;
  readonly name: string;
  readonly layer: Layer;
  readonly description: string;
  readonly columns: readonly Column[];
  /** Hive partition keys, outermost first; not stored inside the parquet files. */
  readonly partitionKeys: readonly Column[];
  /** Column that must be unique within a partition (checked by finalize). */
  readonly uniqueKey?: string;
  /** The step that writes this table. */
  readonly writtenBy: Step;
  /** Tables this one is computed from (SoT from SoR, Spec from SoT): finalize rebuilds a daily one from them. */
  readonly derivedFrom?: readonly TableKey[];
}

export type TableKey =
  | 'sor_acoes'
  | 'sor_fiis'
  | 'sot_acoes'
  | 'sot_fiis'
  | 'spec_cotacoes'
  | 'summary_acoes'
  | 'summary_fiis'
  | 'raw_pages'
  | 'ibov_raw'
  | 'ibov_refined'
  | 'runs'
  | 'cotahist'
  | 'cotahist_spot'
  | 'cotahist_files'
  | 'proventos';

export { DATABASES } from './databases';

const ANOMESDIA = int('anomesdia_exec', 'business date of the run, yyyymmdd (America/Sao_Paulo)');
const TS_EXTRACAO = ts('ts_extracao', 'when the source was fetched');
const SOR_EXTRAS = [
  str('nome_layout', 'page layout: company, bank or fii'),
  str('json_pagina', 'every label → value text of the page, as a JSON object (repeated labels get #2)'),
  str('json_labels_desconhecidos', 'labels not mapped to a column, as a JSON array'),
  TS_EXTRACAO,
];

/** A Spec column and where its value comes from, per kind of asset. */
export interface SpecColumn extends Column {
  /** The SoT column it is copied from; by default the SoT column of the same name. */
  readonly from?: { readonly acao: string; readonly fii: string };
  /** A constant instead. */
  readonly value?: { readonly acao: string; readonly fii: string };
}

const sotColumnOf = (role: 'ticker' | 'name' | 'sector') => ({
  acao: DETAIL_PAGES.acao[role].column,
  fii: DETAIL_PAGES.fii[role].column,
});

/** Spec (columns.md "Spec"): one quote row per stock or FII, each value taken from its SoT row. */
export const SPEC_COLUMNS: readonly SpecColumn[] = [
  { ...str('codigo_ticker_ativo', 'ticker'), from: sotColumnOf('ticker') },
  {
    ...str('tipo_ativo', 'Ação or Fundo Imobiliário'),
    value: { acao: ASSET_KINDS.acoes.specLabel, fii: ASSET_KINDS.fiis.specLabel },
  },
  { ...str('nome_ativo', 'company or fund name'), from: sotColumnOf('name') },
  { ...str('nome_setor_segmento', 'sector (stocks) or segment (FIIs)'), from: sotColumnOf('sector') },
  ...PRICE.map(storedColumn),
  ...OSCILLATION_COLUMNS.map(storedColumn),
  TS_EXTRACAO,
];

const IBOV_RAW_COLUMNS: Column[] = [
  str('cod', 'ticker, as B3 sent it'),
  str('asset', 'asset name, as B3 sent it'),
  str('type', 'specification, as B3 sent it (space-padded)'),
  str('part', 'participation in percent points, pt-br text (2,728 = 2.728%)'),
  str('theoricalQty', 'theoretical quantity, pt-br text'),
  str('segment', 'sector name when requested by sector, else null'),
  str('header_date', 'portfolio date as B3 sent it (DD/MM/YY in pt-br)'),
  str('header_reductor', 'index reductor, pt-br text'),
  str('header_theoricalQty', 'total theoretical quantity, pt-br text'),
  str('index_code', 'index requested (IBOV)'),
  str('language', 'language requested (pt-br)'),
  TS_EXTRACAO,
];

const IBOV_REFINED_COLUMNS: Column[] = [
  str('nome_ativo', 'asset name (renamed from asset)'),
  str('tipo_ativo', 'specification, whitespace collapsed (renamed from type)'),
  dbl('pct_participacao', 'participation in the index; fraction, 0.123 = 12.3% (sum over source rows)'),
  big('qtd_teorica', 'theoretical quantity (sum over source rows)'),
  big('num_linhas_origem', 'source rows aggregated (count)'),
  int('num_dias_defasagem', 'days between the portfolio date and the extraction date (datediff)'),
  TS_EXTRACAO,
];

function fundamentusTables(): TableDef[] {
  const day = [ANOMESDIA];
  return [
    {
      key: 'sor_acoes',
      database: DATABASES.sor,
      name: 'tbsor_fundamentus_indicadores_acoes_raw',
      layer: 'sor',
      description: 'Stock detail pages, every value as the page printed it',
      columns: [...asText(ACAO_COLUMNS), ...SOR_EXTRAS],
      partitionKeys: day,
      uniqueKey: DETAIL_PAGES.acao.ticker.column,
      writtenBy: 'extract',
    },
    {
      key: 'sor_fiis',
      database: DATABASES.sor,
      name: 'tbsor_fundamentus_indicadores_fiis_raw',
      layer: 'sor',
      description: 'FII detail pages, every value as the page printed it',
      columns: [...asText(FII_COLUMNS), ...SOR_EXTRAS],
      partitionKeys: day,
      uniqueKey: DETAIL_PAGES.fii.ticker.column,
      writtenBy: 'extract',
    },
    {
      key: 'sot_acoes',
      database: DATABASES.sot,
      name: 'tbsot_fundamentus_indicadores_acoes_prep',
      layer: 'sot',
      description: 'Stock indicators, typed',
      columns: [...ACAO_COLUMNS, str('nome_layout', 'company or bank'), TS_EXTRACAO],
      partitionKeys: day,
      uniqueKey: DETAIL_PAGES.acao.ticker.column,
      writtenBy: 'prepare',
      derivedFrom: ['sor_acoes'],
    },
    {
      key: 'sot_fiis',
      database: DATABASES.sot,
      name: 'tbsot_fundamentus_indicadores_fiis_prep',
      layer: 'sot',
      description: 'FII indicators, typed',
      columns: [...FII_COLUMNS, TS_EXTRACAO],
      partitionKeys: day,
      uniqueKey: DETAIL_PAGES.fii.ticker.column,
      writtenBy: 'prepare',
      derivedFrom: ['sor_fiis'],
    },
    {
      key: 'spec_cotacoes',
      database: DATABASES.spec,
      name: 'tbspec_fundamentus_cotacao_ativos',
      layer: 'spec',
      description: 'Quotes of every stock and FII, one row per asset',
      columns: SPEC_COLUMNS.map(({ name, type, comment }) => ({ name, type, comment })),
      partitionKeys: day,
      uniqueKey: 'codigo_ticker_ativo',
      writtenBy: 'specialize',
      derivedFrom: ['sot_acoes', 'sot_fiis'],
    },
    {
      key: 'summary_acoes',
      database: DATABASES.sot,
      name: 'tbsot_fundamentus_resumo_acoes',
      layer: 'sot',
      description: 'resultado.php: listing indicators of every stock',
      columns: [...ACOES_SUMMARY_COLUMNS, TS_EXTRACAO],
      partitionKeys: day,
      uniqueKey: LISTING_PAGES.acoes.ticker.column,
      writtenBy: 'list',
    },
    {
      key: 'summary_fiis',
      database: DATABASES.sot,
      name: 'tbsot_fundamentus_resumo_fiis',
      layer: 'sot',
      description: 'fii_resultado.php: listing indicators of every FII',
      columns: [...FIIS_SUMMARY_COLUMNS, TS_EXTRACAO],
      partitionKeys: day,
      uniqueKey: LISTING_PAGES.fiis.ticker.column,
      writtenBy: 'list',
    },
    {
      key: 'raw_pages',
      database: DATABASES.sor,
      name: 'tbsor_fundamentus_paginas_raw',
      layer: 'sor',
      description: 'Index of the archived raw pages (gzip) in the landing zone',
      columns: [
        str('codigo_ticker', 'ticker'),
        str('tipo_ativo', 'acao or fii'),
        str('nome_objeto', 'landing object key of the gzipped page'),
        str('url', 'URL fetched'),
        big('num_bytes', 'page size before gzip, bytes'),
        str('sha256', 'SHA-256 of the page bytes, hex'),
        TS_EXTRACAO,
      ],
      partitionKeys: day,
      uniqueKey: 'codigo_ticker',
      writtenBy: 'extract',
    },
  ];
}

function ibovTables(): TableDef[] {
  return [
    {
      key: 'ibov_raw',
      database: DATABASES.sor,
      name: 'tbsor_b3_carteira_ibov_raw',
      layer: 'sor',
      description: 'B3 IBOV day portfolio, verbatim (GetPortfolioDay, pt-br)',
      columns: IBOV_RAW_COLUMNS,
      partitionKeys: [date('date', 'portfolio date')],
      uniqueKey: 'cod',
      writtenBy: 'ibov-ingest',
    },
    {
      key: 'ibov_refined',
      database: DATABASES.refined,
      name: 'tbrefined_b3_carteira_ibov',
      layer: 'refined',
      description: 'IBOV portfolio refined by ibov_refine.sql (REFINED/ prefix)',
      columns: IBOV_REFINED_COLUMNS,
      partitionKeys: [date('date', 'portfolio date'), str('ticker', 'ticker')],
      writtenBy: 'ibov-refine',
      derivedFrom: ['ibov_raw'],
    },
  ];
}

/** The run manifest's column names, by the field of a run record they hold (record-run maps one to the other). */
export const RUN_COLUMNS = {
  id: 'id_execucao',
  businessDate: 'dt_negocio',
  startedAt: 'ts_inicio',
  endedAt: 'ts_fim',
  status: 'status',
  kinds: 'tipos',
  listed: 'qtd_tickers_listados',
  landed: 'qtd_tickers_carregados',
  fromArchive: 'qtd_tickers_arquivo',
  deadLettered: 'qtd_tickers_dlq',
  dividendsLanded: 'qtd_proventos_carregados',
  dividendsDeadLettered: 'qtd_proventos_dlq',
  dividendRowsAdded: 'qtd_proventos_linhas_novas',
  dividendRowsRemoved: 'qtd_proventos_linhas_removidas',
  fundamentusDate: 'dt_fonte_fundamentus',
  ibovDate: 'dt_fonte_ibov',
  warnings: 'json_avisos',
  version: 'versao_b3lake',
  origin: 'origem',
} as const;

/** The run manifest: one row per run, written when it ends (RUN_STATUSES gives `status`). */
function runTables(): TableDef[] {
  const c = RUN_COLUMNS;
  return [
    {
      key: 'runs',
      database: DATABASES.ops,
      name: 'tbops_execucoes',
      layer: 'sot',
      description: "One row per run of the daily pipeline: what ran, what landed, the sources' own dates",
      columns: [
        str(c.id, 'run id: business date, start time (UTC) and origin'),
        date(c.businessDate, 'business date D of the run (America/Sao_Paulo)'),
        ts(c.startedAt, 'when the run started'),
        ts(c.endedAt, 'when the run ended'),
        str(c.status, 'complete, partial (some tickers did not land), interrupted or failed'),
        str(c.kinds, 'what ran, comma-separated: acoes, fiis, ibov, cotahist, proventos'),
        int(c.listed, 'tickers the listings named (after --limit), count'),
        int(
          c.landed,
          'tickers whose page landed: archived, and in SoR once the day is finalized (not when interrupted)',
        ),
        int(c.fromArchive, 'of those, rebuilt from pages an earlier run of the day archived (no request), count'),
        int(c.deadLettered, 'tickers dead-lettered (failed after retries), count'),
        int(c.dividendsLanded, 'dividend histories landed (fetched or from the archive), count; null: none asked for'),
        int(c.dividendsDeadLettered, 'dividend pages dead-lettered, count; null when none was asked for'),
        int(c.dividendRowsAdded, 'dividend rows new since the histories’ previous snapshots, count; null as above'),
        int(c.dividendRowsRemoved, 'dividend rows gone since the previous snapshots (a changed history), count'),
        date(c.fundamentusDate, 'latest "Data últ cot" among the detail pages read'),
        date(c.ibovDate, 'date of the IBOV portfolio B3 served'),
        str(c.warnings, 'warnings of the run, as a JSON array of strings'),
        str(c.version, 'b3lake version that ran'),
        str(c.origin, 'local or aws'),
      ],
      // Month partitions: a handful of runs a day, never compacted (each run writes its own object).
      partitionKeys: [int('anomes_exec', 'month of the business date, yyyymm')],
      uniqueKey: c.id,
      writtenBy: 'record-run',
    },
  ];
}

/** Every table of the lake (columns.md), the one source of truth for writers and catalogs. */
export const TABLES: readonly TableDef[] = [
  ...fundamentusTables(),
  ...ibovTables(),
  ...runTables(),
  ...cotahistTables(),
  ...proventosTables(),
];

const BY_KEY = new Map(TABLES.map((t) => [t.key, t]));

export function table(key: TableKey): TableDef {
  const def = BY_KEY.get(key);
  if (!def) throw new UnknownTableError(key);
  return def;
}

/** `database.table`, the name Athena and the local catalog both answer to. */
export function qualifiedName(def: TableDef): string {
  return `${def.database}.${def.name}`;
}
