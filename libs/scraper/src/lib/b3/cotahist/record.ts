import { ScraperError } from '../../errors';
import { HEADER_FIELDS, NO_EXPIRY, QUOTE_FIELDS, RECORD_LENGTH, TRAILER_FIELDS, type FieldSpec } from './layout';

/** A COTAHIST record that does not follow the layout: the line and the field are named, nothing is guessed. */
export class CotahistFormatError extends ScraperError {
  readonly code = 'COTAHIST_FORMAT';
  constructor(
    readonly line: number,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`COTAHIST line ${line}${field ? `, field ${field}` : ''}: ${reason}.`);
  }
}

export interface CotahistHeader {
  /** `COTAHIST.2021` (annual), `COTAHIST.2021` too for monthly and daily files. */
  fileName: string;
  origin: string;
  /** ISO date the file was generated. */
  generatedOn: string;
}

export interface CotahistTrailer extends CotahistHeader {
  /** Records in the file, header and trailer included. */
  totalRecords: number;
}

/** One instrument on one trading day, as published: prices in BRL per quotation unit (see `quoteFactor`). */
export interface CotahistQuote {
  /** Trading day (DATPRE), ISO. */
  date: string;
  /** CODBDI: 02 round lot, 12 FIIs, 14 ETFs/certificates, 78/82 options… */
  bdiCode: string;
  /** CODNEG, e.g. PETR4. */
  ticker: string;
  /** TPMERC: 10 spot, 20 odd lot, 30 forward, 70 call, 80 put… */
  marketType: number;
  /** NOMRES: issuer's short name. */
  shortName: string;
  /** ESPECI: share class and governance level, e.g. `PN      N2`. */
  specification: string;
  /** PRAZOT: days of a forward contract (blank elsewhere). */
  forwardDays: string;
  /** MODREF: currency of the prices (R$ today; Cz$, NCz$, Cr$, CR$… in older years). */
  currency: string;
  open: number;
  high: number;
  low: number;
  average: number;
  close: number;
  bestBid: number;
  bestAsk: number;
  /** TOTNEG: number of trades. */
  trades: number;
  /** QUATOT: securities traded. */
  quantity: number;
  /** VOLTOT: traded value, in the currency. */
  volume: number;
  /** PREEXE: strike (options) or contract value (forward); 0 elsewhere. */
  strike: number;
  /** INDOPC: strike correction (1 US$, 2 TJLP, 3 TR, … 0 none). */
  strikeCorrection: number;
  /** DATVEN: expiry, null for instruments that do not expire (9999-12-31). */
  expiry: string | null;
  /** FATCOT: 1 = prices per share, 1000 = per lot of 1,000 shares. */
  quoteFactor: number;
  /** PTOEXE: strike in points for dollar-referenced options. */
  strikePoints: number;
  /** CODISI: ISIN (from 1995-05-15) or B3's internal code. */
  isin: string;
  /** DISMES: distribution number (rights state of the security). */
  distribution: number;
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Digits of a numeric field as an exact integer (no substring, no regex: a year holds ~1.7 M records). */
function digits(record: string, spec: FieldSpec, line: number): number {
  let value = 0;
  for (let i = spec.start - 1; i < spec.end; i++) {
    const c = record.charCodeAt(i) - 48;
    if (c < 0 || c > 9) {
      const text = record.slice(spec.start - 1, spec.end);
      throw new CotahistFormatError(line, spec.code, `"${text}" is not a number of ${text.length} digits`);
    }
    value = value * 10 + c;
  }
  if (value > Number.MAX_SAFE_INTEGER) {
    throw new CotahistFormatError(
      line,
      spec.code,
      `${record.slice(spec.start - 1, spec.end)} is too large to be exact`,
    );
  }
  return value;
}

function isoDate(record: string, spec: FieldSpec, line: number): string {
  const text = record.slice(spec.start - 1, spec.end);
  const year = digitsOf(text, 0, 4);
  const month = digitsOf(text, 4, 6);
  const day = digitsOf(text, 6, 8);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const valid =
    year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && !leap ? 28 : DAYS[month - 1]);
  if (!valid) throw new CotahistFormatError(line, spec.code, `"${text}" is not a date (AAAAMMDD)`);
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

/** -1 when a character is not a digit (the caller's range check then fails). */
function digitsOf(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

/** Reads one field of a record; `line` only names the place of an error. */
function read(record: string, spec: FieldSpec, line: number): string | number {
  if (spec.format === 'text') return record.slice(spec.start - 1, spec.end).trimEnd();
  if (spec.format === 'date') return isoDate(record, spec, line);
  const units = digits(record, spec, line);
  return spec.format === 'int' ? units : units / 10 ** spec.format.decimals;
}

function fields(record: string, specs: readonly FieldSpec[], line: number): Record<string, string | number> {
  checkLength(record, line);
  const out: Record<string, string | number> = {};
  for (const spec of specs) out[spec.code] = read(record, spec, line);
  return out;
}

function checkLength(record: string, line: number): void {
  if (record.length !== RECORD_LENGTH) {
    throw new CotahistFormatError(line, '', `${record.length} characters where the layout has ${RECORD_LENGTH}`);
  }
}

/** The type of a record: its first two characters. */
export function recordType(record: string): string {
  return record.slice(0, 2);
}

export function parseHeader(record: string, line: number): CotahistHeader {
  if (recordType(record) !== '00')
    throw new CotahistFormatError(line, 'TIPREG', 'the first record is not a header (00)');
  const f = fields(record, HEADER_FIELDS, line);
  return { fileName: String(f['NOMARQ']), origin: String(f['CODORI']), generatedOn: String(f['DATGER']) };
}

export function parseTrailer(record: string, line: number): CotahistTrailer {
  const f = fields(record, TRAILER_FIELDS, line);
  return {
    fileName: String(f['NOMARQ']),
    origin: String(f['CODORI']),
    generatedOn: String(f['DATGER']),
    totalRecords: Number(f['TOTREG']),
  };
}

const Q = Object.fromEntries(QUOTE_FIELDS.map((f) => [f.code, f])) as Record<
  (typeof QUOTE_FIELDS)[number]['code'],
  FieldSpec
>;

export function parseQuote(record: string, line: number): CotahistQuote {
  checkLength(record, line);
  const text = (spec: FieldSpec) => record.slice(spec.start - 1, spec.end).trimEnd();
  const int = (spec: FieldSpec) => digits(record, spec, line);
  const price = (spec: FieldSpec) => digits(record, spec, line) / 100;
  const expiry = isoDate(record, Q.DATVEN, line);
  const quoteFactor = int(Q.FATCOT);
  if (quoteFactor <= 0) throw new CotahistFormatError(line, 'FATCOT', 'a quote factor must be at least 1');
  return {
    date: isoDate(record, Q.DATPRE, line),
    bdiCode: text(Q.CODBDI),
    ticker: text(Q.CODNEG),
    marketType: int(Q.TPMERC),
    shortName: text(Q.NOMRES),
    specification: text(Q.ESPECI),
    forwardDays: text(Q.PRAZOT),
    currency: text(Q.MODREF),
    open: price(Q.PREABE),
    high: price(Q.PREMAX),
    low: price(Q.PREMIN),
    average: price(Q.PREMED),
    close: price(Q.PREULT),
    bestBid: price(Q.PREOFC),
    bestAsk: price(Q.PREOFV),
    trades: int(Q.TOTNEG),
    quantity: int(Q.QUATOT),
    volume: price(Q.VOLTOT),
    strike: price(Q.PREEXE),
    strikeCorrection: int(Q.INDOPC),
    expiry: expiry === NO_EXPIRY ? null : expiry,
    quoteFactor,
    strikePoints: digits(record, Q.PTOEXE, line) / 1e6,
    isin: text(Q.CODISI),
    distribution: int(Q.DISMES),
  };
}
