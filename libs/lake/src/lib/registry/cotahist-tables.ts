import { big, date, dbl, int, str, ts } from './columns';
import { DATABASES } from './databases';
import type { TableDef } from './tables';

/**
 * The columns of B3's COTAHIST quote record (01) as the lake names them, by the layout's field
 * code. The pipeline maps each layout field to its column through this table, so a name is
 * written here once.
 */
export const COTAHIST_COLUMNS = {
  DATPRE: 'dt_pregao',
  CODBDI: 'cod_bdi',
  CODNEG: 'codigo_ticker',
  TPMERC: 'tipo_mercado',
  NOMRES: 'nome_resumido',
  ESPECI: 'especificacao',
  PRAZOT: 'prazo_termo',
  MODREF: 'moeda',
  PREABE: 'vlr_abertura',
  PREMAX: 'vlr_maximo',
  PREMIN: 'vlr_minimo',
  PREMED: 'vlr_medio',
  PREULT: 'vlr_fechamento',
  PREOFC: 'vlr_melhor_oferta_compra',
  PREOFV: 'vlr_melhor_oferta_venda',
  TOTNEG: 'qtd_negocios',
  QUATOT: 'qtd_titulos',
  VOLTOT: 'vlr_volume',
  PREEXE: 'vlr_exercicio',
  INDOPC: 'ind_correcao_exercicio',
  DATVEN: 'dt_vencimento',
  FATCOT: 'fator_cotacao',
  PTOEXE: 'vlr_exercicio_pontos',
  CODISI: 'cod_isin',
  DISMES: 'num_distribuicao',
} as const;

/** The source file a COTAHIST row came from (`COTAHIST_A2021.ZIP`). */
export const COTAHIST_FILE_COLUMN = 'nome_arquivo';

/** The year partition of every COTAHIST table. */
export const COTAHIST_YEAR_KEY = 'ano';

const C = COTAHIST_COLUMNS;
const perShare = (what: string) => `${what}; BRL per share (prices per lot of FATCOT shares divided by it)`;

const PRICES = [
  dbl(C.PREABE, perShare('opening price (PREABE)')),
  dbl(C.PREMAX, perShare('highest price (PREMAX)')),
  dbl(C.PREMIN, perShare('lowest price (PREMIN)')),
  dbl(C.PREMED, perShare('average price (PREMED)')),
  dbl(C.PREULT, perShare('closing price, the last trade (PREULT)')),
  dbl(C.PREOFC, perShare('best bid at the close (PREOFC)')),
  dbl(C.PREOFV, perShare('best ask at the close (PREOFV)')),
];

const TRADING = [
  big(C.TOTNEG, 'trades (TOTNEG), count'),
  big(C.QUATOT, 'securities traded (QUATOT), count'),
  dbl(C.VOLTOT, 'traded value (VOLTOT), in the currency of moeda: BRL since 1994-07-01'),
];

const KEY = [
  date(C.DATPRE, 'trading day (DATPRE)'),
  str(C.CODNEG, 'ticker (CODNEG), e.g. PETR4'),
  str(C.CODBDI, 'BDI code (CODBDI): 02 round lot, 12 FII, 14 ETF and certificates, 96 odd lot, 78/82 options…'),
  int(C.TPMERC, 'market (TPMERC): 10 spot, 12/13 option exercise, 17 auction, 20 odd lot, 30 forward, 70 call, 80 put'),
  str(C.NOMRES, "issuer's short name (NOMRES)"),
  str(C.ESPECI, 'share class and governance level (ESPECI), e.g. "PN      N2"'),
];

const FILE = str(COTAHIST_FILE_COLUMN, 'the COTAHIST file the row came from, e.g. COTAHIST_A2021.ZIP');
const YEAR = [int(COTAHIST_YEAR_KEY, 'year of the trading day, yyyy')];

/**
 * The spot market's instruments that are not shares, funds, ETFs or BDRs, by BDI code: rights and
 * receipts (10), subscription bonuses (22), bonds and debentures (18, 26, 66, 68).
 */
export const COTAHIST_SPOT_EXCLUDED_BDI = ['10', '18', '22', '26', '66', '68'] as const;

/** TPMERC of the spot market. */
export const COTAHIST_SPOT_MARKET = 10;

/** The ledger of COTAHIST files loaded, by column. */
export const COTAHIST_FILE_LEDGER = {
  file: COTAHIST_FILE_COLUMN,
  kind: 'tipo_arquivo',
  generatedOn: 'dt_geracao',
  firstDate: 'dt_inicio',
  lastDate: 'dt_fim',
  records: 'qtd_registros',
  quotes: 'qtd_cotacoes',
  spotRows: 'qtd_cotacoes_vista',
  bytes: 'num_bytes',
  sha256: 'sha256',
  loadedAt: 'ts_carga',
  downloadedAt: 'ts_download',
} as const;

/**
 * B3's price history (COTAHIST). Year partitions (`ano`), one object per source file: an annual
 * file, or the day's and month's files of a year whose annual file is not loaded yet. A ticker's
 * history reads one small column per year; a day reads one year; a day's append writes one new
 * object and rewrites nothing.
 */
export function cotahistTables(): TableDef[] {
  const L = COTAHIST_FILE_LEDGER;
  return [
    {
      key: 'cotahist',
      database: DATABASES.sot,
      name: 'tbsot_b3_cotacoes_historicas',
      layer: 'sot',
      description: 'B3 COTAHIST: every instrument of every market on every trading day since 1986, typed',
      columns: [
        ...KEY,
        str(C.PRAZOT, 'days of a forward contract (PRAZOT), as published; empty elsewhere'),
        str(C.MODREF, 'currency of the prices (MODREF): R$ today; Cz$, NCz$, Cr$, CR$ in older years'),
        ...PRICES,
        ...TRADING,
        dbl(C.PREEXE, 'strike of an option or value of a forward contract (PREEXE), in the currency, as published'),
        int(C.INDOPC, 'strike correction (INDOPC): 0 none, 1 US$, 2 TJLP, 3 TR, 4 IPCR, 5 US$ protected, 6 IGP-M…'),
        date(C.DATVEN, 'expiry (DATVEN); null for instruments that do not expire (9999-12-31)'),
        int(C.FATCOT, 'quotation factor (FATCOT), as published: 1 = prices per share, 1000 = per lot of 1,000'),
        dbl(C.PTOEXE, 'strike in points of dollar-referenced options (PTOEXE)'),
        str(C.CODISI, 'ISIN (CODISI; from 1995) or B3 internal code'),
        int(C.DISMES, 'distribution number (DISMES): the rights state of the security'),
        FILE,
      ],
      partitionKeys: YEAR,
      writtenBy: 'cotahist',
    },
    {
      key: 'cotahist_spot',
      database: DATABASES.spec,
      name: 'tbspec_b3_cotacoes_diarias',
      layer: 'spec',
      description:
        'Daily prices of stocks, units, FIIs, ETFs and BDRs: the spot market (tipo_mercado 10), ' +
        'one row per ticker and trading day; not adjusted for splits or distributions',
      columns: [
        ...KEY,
        ...PRICES,
        ...TRADING,
        int(C.FATCOT, 'quotation factor (FATCOT), as published (prices are already per share)'),
        str(C.CODISI, 'ISIN (CODISI)'),
        int(C.DISMES, 'distribution number (DISMES): changes when the security goes ex-rights'),
        FILE,
      ],
      partitionKeys: YEAR,
      writtenBy: 'cotahist',
      derivedFrom: ['cotahist'],
    },
    {
      key: 'cotahist_files',
      database: DATABASES.ops,
      name: 'tbops_cotahist_arquivos',
      layer: 'sot',
      description: 'One row per COTAHIST file loaded into the lake: what it covers and what it held',
      columns: [
        str(L.file, 'file name as B3 publishes it, e.g. COTAHIST_A2021.ZIP'),
        str(L.kind, 'annual, monthly or daily'),
        date(L.generatedOn, 'generation date in the file header (DATGER)'),
        date(L.firstDate, 'first trading day in the file'),
        date(L.lastDate, 'last trading day in the file'),
        big(L.records, 'records in the file, header and trailer included (the trailer count), count'),
        big(L.quotes, 'quote records (01) loaded into tbsot_b3_cotacoes_historicas, count'),
        big(L.spotRows, 'rows loaded into tbspec_b3_cotacoes_diarias, count'),
        big(L.bytes, 'size of the archived file, bytes'),
        str(L.sha256, 'SHA-256 of the archived file, hex'),
        ts(L.loadedAt, 'when the file was loaded'),
        ts(L.downloadedAt, 'when the file was downloaded from B3 (its archive was written); null before this column'),
      ],
      partitionKeys: YEAR,
      uniqueKey: L.file,
      writtenBy: 'cotahist',
    },
  ];
}
