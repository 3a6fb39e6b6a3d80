import { ScraperError } from '../../errors';
import { HEADER_FIELDS, NO_EXPIRY, QUOTE_FIELDS, RECORD_LENGTH, TRAILER_FIELDS, type FieldSpec } from './layout';
import { readDigits } from './digits';
import { TextCache, latin1 } from './text-cache';

/** A COTAHIST record that does not follow the layout: the line and the field are named, nothing is guessed. */
export class CotahistFormatError extends ScraperError {
  readonly code = 'COTAHIST_FORMAT';
  constructor(
    /** 1-based line of the file (a zip's entry counts its own lines). */
    readonly line: number,
    /** The layout's field code (PREABE, DATPRE…), or '' when the whole record is wrong. */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`COTAHIST line ${line}${field ? `, field ${field}` : ''}: ${reason}.`);
  }
}

/** Record 00. */
export interface CotahistHeader {
  /** NOMARQ: `COTAHIST.2021` in annual, monthly and daily files alike. */
  fileName: string;
  /** CODORI: `BOVESPA`. */
  origin: string;
  /** DATGER: ISO date the file was generated. */
  generatedOn: string;
}

/** Record 99. */
export interface CotahistTrailer extends CotahistHeader {
  /** TOTREG: records in the file, header and trailer included. */
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

/** A field's 0-based [start, end) in a record, from the layout's 1-based inclusive positions. */
interface Span {
  readonly code: string;
  readonly start: number;
  readonly end: number;
}

function span(fields: readonly FieldSpec[], code: string): Span {
  const spec = fields.find((f) => f.code === code);
  if (!spec) throw new Error(`COTAHIST layout has no field ${code}`);
  return { code, start: spec.start - 1, end: spec.end };
}

const [TIPREG, NOMARQ, CODORI, DATGER] = ['TIPREG', 'NOMARQ', 'CODORI', 'DATGER'].map((c) => span(HEADER_FIELDS, c));
const TOTREG = span(TRAILER_FIELDS, 'TOTREG');
const Q = Object.fromEntries(QUOTE_FIELDS.map((f) => [f.code, span(QUOTE_FIELDS, f.code)])) as Record<string, Span>;
const [DATPRE, CODBDI, CODNEG, TPMERC, NOMRES, ESPECI, PRAZOT, MODREF] = [
  Q['DATPRE'],
  Q['CODBDI'],
  Q['CODNEG'],
  Q['TPMERC'],
  Q['NOMRES'],
  Q['ESPECI'],
  Q['PRAZOT'],
  Q['MODREF'],
];
const [PREABE, PREMAX, PREMIN, PREMED, PREULT, PREOFC, PREOFV] = [
  Q['PREABE'],
  Q['PREMAX'],
  Q['PREMIN'],
  Q['PREMED'],
  Q['PREULT'],
  Q['PREOFC'],
  Q['PREOFV'],
];
const [TOTNEG, QUATOT, VOLTOT, PREEXE, INDOPC, DATVEN, FATCOT, PTOEXE, CODISI, DISMES] = [
  Q['TOTNEG'],
  Q['QUATOT'],
  Q['VOLTOT'],
  Q['PREEXE'],
  Q['INDOPC'],
  Q['DATVEN'],
  Q['FATCOT'],
  Q['PTOEXE'],
  Q['CODISI'],
  Q['DISMES'],
];

/** Local copies: hot code reads them per record, and an import may be a getter once transpiled to CommonJS. */
const LENGTH = RECORD_LENGTH;
const NOT_EXPIRING = NO_EXPIRY;
const digitsIn = readDigits;

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Distinct dates kept before the date cache starts over (decades of trading days and expiries fit). */
const MAX_CACHED_DATES = 50_000;

/**
 * Types records read from latin-1 bytes, field by field at the layout's positions: numbers are
 * read four digits at a time (exact integers, then scaled), texts come from caches of the values
 * seen before, so a record allocates its object and little else.
 */
export class CotahistRecordDecoder {
  /** The line being typed, for the errors of a text cache. */
  private line = 0;
  private readonly fileName = this.cacheFor(NOMARQ, 4);
  private readonly origin = this.cacheFor(CODORI, 4);
  private readonly bdiCode = this.cacheFor(CODBDI, 8);
  private readonly ticker = this.cacheFor(CODNEG, 15);
  private readonly shortName = this.cacheFor(NOMRES, 13);
  private readonly specification = this.cacheFor(ESPECI, 10);
  private readonly forwardDays = this.cacheFor(PRAZOT, 8);
  private readonly currency = this.cacheFor(MODREF, 4);
  private readonly isin = this.cacheFor(CODISI, 15);
  private readonly dates = new Map<number, string>();
  /** Per date field (DATPRE, DATVEN, DATGER), the last value read: most records repeat it. */
  private readonly lastDateKeys = new Float64Array([-1, -1, -1]);
  private readonly lastDates = ['', '', ''];
  private viewBytes?: Uint8Array;
  private view: DataView = new DataView(new ArrayBuffer(0));

  /** Fails unless a record has the layout's 245 characters (a shorter one would shift every field after the gap). */
  checkLength(length: number, line: number): void {
    if (length !== LENGTH) {
      throw new CotahistFormatError(line, '', `${length} characters where the layout has ${LENGTH}`);
    }
  }

  /** The record type: its first two characters read as a number (00, 1, 99), -1 if they are not digits. */
  type(bytes: Uint8Array, at: number): number {
    const tens = bytes[at] - 48;
    const units = bytes[at + 1] - 48;
    return tens >= 0 && tens <= 9 && units >= 0 && units <= 9 ? tens * 10 + units : -1;
  }

  header(bytes: Uint8Array, at: number, line: number): CotahistHeader {
    if (this.type(bytes, at) !== 0) {
      throw new CotahistFormatError(line, TIPREG.code, 'the first record is not a header (00)');
    }
    return this.fileFields(bytes, at, line);
  }

  trailer(bytes: Uint8Array, at: number, line: number): CotahistTrailer {
    return { ...this.fileFields(bytes, at, line), totalRecords: digits(this.viewOf(bytes), bytes, at, TOTREG, line) };
  }

  /** The fields the header and the trailer share. */
  private fileFields(bytes: Uint8Array, at: number, line: number): CotahistHeader {
    this.line = line;
    return {
      fileName: this.fileName.read(this.viewOf(bytes), bytes, at + NOMARQ.start),
      origin: this.origin.read(this.viewOf(bytes), bytes, at + CODORI.start),
      generatedOn: this.date(bytes, at, DATGER, 2, line),
    };
  }

  quote(b: Uint8Array, at: number, line: number): CotahistQuote {
    const v = this.viewOf(b);
    this.line = line;
    const expiry = this.date(b, at, DATVEN, 1, line);
    const quoteFactor = digits(v, b, at, FATCOT, line);
    if (quoteFactor <= 0) throw new CotahistFormatError(line, FATCOT.code, 'a quote factor must be at least 1');
    return {
      date: this.date(b, at, DATPRE, 0, line),
      bdiCode: this.bdiCode.read(v, b, at + CODBDI.start),
      ticker: this.ticker.read(v, b, at + CODNEG.start),
      marketType: digits(v, b, at, TPMERC, line),
      shortName: this.shortName.read(v, b, at + NOMRES.start),
      specification: this.specification.read(v, b, at + ESPECI.start),
      forwardDays: this.forwardDays.read(v, b, at + PRAZOT.start),
      currency: this.currency.read(v, b, at + MODREF.start),
      open: digits(v, b, at, PREABE, line) / 100,
      high: digits(v, b, at, PREMAX, line) / 100,
      low: digits(v, b, at, PREMIN, line) / 100,
      average: digits(v, b, at, PREMED, line) / 100,
      close: digits(v, b, at, PREULT, line) / 100,
      bestBid: digits(v, b, at, PREOFC, line) / 100,
      bestAsk: digits(v, b, at, PREOFV, line) / 100,
      trades: digits(v, b, at, TOTNEG, line),
      quantity: digits(v, b, at, QUATOT, line),
      volume: digits(v, b, at, VOLTOT, line) / 100,
      strike: digits(v, b, at, PREEXE, line) / 100,
      strikeCorrection: digits(v, b, at, INDOPC, line),
      expiry: expiry === NOT_EXPIRING ? null : expiry,
      quoteFactor,
      strikePoints: digits(v, b, at, PTOEXE, line) / 1e6,
      isin: this.isin.read(v, b, at + CODISI.start),
      distribution: digits(v, b, at, DISMES, line),
    };
  }

  private cacheFor(field: Span, bits: number): TextCache {
    return new TextCache(field.end - field.start, bits, (bytes, start, end) => {
      const text = JSON.stringify(latin1(bytes, start, end));
      throw new CotahistFormatError(this.line, field.code, `${text} holds a control character`);
    });
  }

  /** A DataView over the chunk being read: words of digits are read through it. */
  private viewOf(bytes: Uint8Array): DataView {
    if (bytes !== this.viewBytes) {
      this.viewBytes = bytes;
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return this.view;
  }

  /** An AAAAMMDD field as an ISO date; each distinct date is checked and formatted once. */
  private date(bytes: Uint8Array, at: number, field: Span, slot: number, line: number): string {
    const key = digitsIn(this.viewOf(bytes), bytes, at + field.start, at + field.end);
    if (key === this.lastDateKeys[slot]) return this.lastDates[slot];
    const iso = this.dates.get(key) ?? this.newDate(bytes, at, field, key, line);
    this.lastDateKeys[slot] = key;
    this.lastDates[slot] = iso;
    return iso;
  }

  /** Checks and formats a date not seen yet (`key`: its digits, -1 if they are not all digits). */
  private newDate(bytes: Uint8Array, at: number, field: Span, key: number, line: number): string {
    const year = Math.floor(key / 10_000);
    const month = Math.floor(key / 100) % 100;
    const day = key % 100;
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const valid =
      key >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && !leap ? 28 : DAYS[month - 1]);
    const text = latin1(bytes, at + field.start, at + field.end);
    if (!valid) throw new CotahistFormatError(line, field.code, `"${text}" is not a date (AAAAMMDD)`);
    const iso = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
    if (this.dates.size >= MAX_CACHED_DATES) this.dates.clear();
    this.dates.set(key, iso);
    return iso;
  }
}

/** A numeric field as an exact integer; anything but digits, or a value past 2^53, is an error naming it. */
function digits(view: DataView, bytes: Uint8Array, at: number, field: Span, line: number): number {
  const value = digitsIn(view, bytes, at + field.start, at + field.end);
  if (value >= 0 && value <= Number.MAX_SAFE_INTEGER) return value;
  const text = latin1(bytes, at + field.start, at + field.end);
  throw new CotahistFormatError(
    line,
    field.code,
    value < 0 ? `"${text}" is not a number of ${text.length} digits` : `${text} is too large to be exact`,
  );
}
