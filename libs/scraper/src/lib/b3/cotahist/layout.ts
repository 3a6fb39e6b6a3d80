/**
 * B3's COTAHIST layout ("Layout do Arquivo – Cotações Históricas", rev. 22/09/05): fixed-width
 * records of 245 latin-1 characters. Positions are 1-based and inclusive, as the layout prints
 * them, so each line here can be checked against the document.
 */

/** How a field's text becomes a value: N = unsigned integer, V = integer with implied decimals. */
export type FieldFormat = 'text' | 'int' | 'date' | { decimals: number };

/** One field of a COTAHIST record, as the layout document prints it. */
export interface FieldSpec {
  /** The layout's own name (PREABE, TOTNEG…). */
  readonly code: string;
  readonly start: number;
  readonly end: number;
  readonly format: FieldFormat;
}

const field = (code: string, start: number, end: number, format: FieldFormat): FieldSpec => ({
  code,
  start,
  end,
  format,
});

/** Characters in every record, line break excluded. */
export const RECORD_LENGTH = 245;

/** Record 00: header. */
export const HEADER_FIELDS = [
  field('TIPREG', 1, 2, 'int'),
  field('NOMARQ', 3, 15, 'text'),
  field('CODORI', 16, 23, 'text'),
  field('DATGER', 24, 31, 'date'),
] as const;

/** Record 01: one instrument (papel-mercado) on one trading day. */
export const QUOTE_FIELDS = [
  field('TIPREG', 1, 2, 'int'),
  field('DATPRE', 3, 10, 'date'),
  field('CODBDI', 11, 12, 'text'),
  field('CODNEG', 13, 24, 'text'),
  field('TPMERC', 25, 27, 'int'),
  field('NOMRES', 28, 39, 'text'),
  field('ESPECI', 40, 49, 'text'),
  field('PRAZOT', 50, 52, 'text'),
  field('MODREF', 53, 56, 'text'),
  field('PREABE', 57, 69, { decimals: 2 }),
  field('PREMAX', 70, 82, { decimals: 2 }),
  field('PREMIN', 83, 95, { decimals: 2 }),
  field('PREMED', 96, 108, { decimals: 2 }),
  field('PREULT', 109, 121, { decimals: 2 }),
  field('PREOFC', 122, 134, { decimals: 2 }),
  field('PREOFV', 135, 147, { decimals: 2 }),
  field('TOTNEG', 148, 152, 'int'),
  field('QUATOT', 153, 170, 'int'),
  field('VOLTOT', 171, 188, { decimals: 2 }),
  field('PREEXE', 189, 201, { decimals: 2 }),
  field('INDOPC', 202, 202, 'int'),
  field('DATVEN', 203, 210, 'date'),
  field('FATCOT', 211, 217, 'int'),
  field('PTOEXE', 218, 230, { decimals: 6 }),
  field('CODISI', 231, 242, 'text'),
  field('DISMES', 243, 245, 'int'),
] as const;

/** Record 99: trailer; TOTREG counts every record of the file, header and trailer included. */
export const TRAILER_FIELDS = [
  field('TIPREG', 1, 2, 'int'),
  field('NOMARQ', 3, 15, 'text'),
  field('CODORI', 16, 23, 'text'),
  field('DATGER', 24, 31, 'date'),
  field('TOTREG', 32, 42, 'int'),
] as const;

/** TPMERC, the market an instrument trades in, as the layout's table names it. */
export const MARKET_TYPES: Readonly<Record<number, string>> = {
  10: 'VISTA',
  12: 'EXERCÍCIO DE OPÇÕES DE COMPRA',
  13: 'EXERCÍCIO DE OPÇÕES DE VENDA',
  17: 'LEILÃO',
  20: 'FRACIONÁRIO',
  30: 'TERMO',
  50: 'FUTURO COM RETENÇÃO DE GANHO',
  60: 'FUTURO COM MOVIMENTAÇÃO CONTÍNUA',
  70: 'OPÇÕES DE COMPRA',
  80: 'OPÇÕES DE VENDA',
};

/** DATVEN of instruments that do not expire. */
export const NO_EXPIRY = '9999-12-31';
