/**
 * Synthetic COTAHIST files for the replay server: B3's zips (`COTAHIST_A2022.ZIP`,
 * `COTAHIST_M052022.ZIP`, `COTAHIST_D24052022.ZIP`), made on request from a fixed set of
 * instruments, one record per instrument per trading day, prices that move with the date. A record
 * depends only on its instrument, its date and the seed, so a day reads the same in its daily,
 * monthly and annual files, run after run. Sessions are B3's trading days (its calendar: no weekend,
 * no holiday), so an annual file holds exactly the days a backfill of days asks for.
 */
import { isTradingDay } from '@b3lake/pipeline';
import { parseCotahistFileName, type CotahistFileInfo } from '@b3lake/scraper';
import { cotahistHeader, cotahistQuote, cotahistText, cotahistTrailer, zipOf } from '@b3lake/scraper/testing';
import { seededRandom, tickerSeed } from './synthetic';

/** Where the files are served: a server's URL plus this path is a CotahistClient base URL, as on B3. */
export const COTAHIST_PATH = '/InstDados/SerHist/';

/** One instrument of the synthetic files. */
export interface CotahistInstrument {
  /** CODNEG; an option's series letter and strike are added per date (see `option`). */
  ticker: string;
  /** CODBDI: 02 round lot, 12 FII, 14 ETF, 78 call option, 96 odd lot. */
  bdi: string;
  /** TPMERC: 10 spot, 20 odd lot, 70 call option. */
  market: number;
  name: string;
  spec: string;
  isin: string;
  /** Price per share around which it moves, in centavos. */
  baseCents: number;
  /** FATCOT: prices are per this many shares (default 1). */
  factor?: number;
  /** Its price follows this ticker's (an odd lot or an option follows its stock). */
  follows?: string;
  /** A call on `follows`, of this strike (centavos), of the series expiring the month after the session. */
  option?: { strikeCents: number };
}

/** The instruments: the replay market's tickers where it has them, and one of each kind the reader must type. */
export const COTAHIST_INSTRUMENTS: readonly CotahistInstrument[] = [
  {
    ticker: 'PETR4',
    bdi: '02',
    market: 10,
    name: 'PETROBRAS',
    spec: 'PN      N2',
    isin: 'BRPETRACNPR6',
    baseCents: 3160,
  },
  { ticker: 'VALE3', bdi: '02', market: 10, name: 'VALE', spec: 'ON      NM', isin: 'BRVALEACNOR0', baseCents: 7810 },
  {
    ticker: 'ITUB4',
    bdi: '02',
    market: 10,
    name: 'ITAUUNIBANCO',
    spec: 'PN  EJ  N1',
    isin: 'BRITUBACNPR1',
    baseCents: 2530,
  },
  // Quoted per lot of 1,000 units (FATCOT 1000), as B3 quoted low-priced shares: prices are ×1000.
  {
    ticker: 'TAEE11',
    bdi: '02',
    market: 10,
    name: 'TAESA',
    spec: 'UNT     N2',
    isin: 'BRTAEECDAM10',
    baseCents: 3600,
    factor: 1000,
  },
  { ticker: 'HGLG11', bdi: '12', market: 10, name: 'FII CSHG LOG', spec: 'CI', isin: 'BRHGLGCTF004', baseCents: 16200 },
  { ticker: 'MXRF11', bdi: '12', market: 10, name: 'FII MAXI REN', spec: 'CI', isin: 'BRMXRFCTF008', baseCents: 1010 },
  { ticker: 'BOVA11', bdi: '14', market: 10, name: 'ISHARES BOVA', spec: 'CI', isin: 'BRBOVACTF003', baseCents: 10600 },
  {
    ticker: 'PETR',
    bdi: '78',
    market: 70,
    name: 'PETROBRAS',
    spec: 'PN      N2',
    isin: 'BRPETROPC001',
    baseCents: 3160,
    follows: 'PETR4',
    option: { strikeCents: 3200 },
  },
  {
    ticker: 'PETR4F',
    bdi: '96',
    market: 20,
    name: 'PETROBRAS',
    spec: 'PN      N2',
    isin: 'BRPETRACNPR6',
    baseCents: 3160,
    follows: 'PETR4',
  },
];

const DAY_MS = 86_400_000;
const SERIES = 'ABCDEFGHIJKL';

const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const compact = (iso: string) => iso.replace(/-/g, '');

/** The sessions (B3's trading days) a file holds, up to `today` included; empty when none has happened yet. */
export function cotahistSessions(file: CotahistFileInfo, today: string): string[] {
  let first: number;
  let last: number;
  if (file.kind === 'daily') first = last = dayNumber(file.date);
  else if (file.kind === 'monthly') {
    first = Date.UTC(file.year, file.month - 1, 1) / DAY_MS;
    last = Date.UTC(file.year, file.month, 0) / DAY_MS;
  } else {
    first = Date.UTC(file.year, 0, 1) / DAY_MS;
    last = Date.UTC(file.year, 11, 31) / DAY_MS;
  }
  last = Math.min(last, dayNumber(today));
  const sessions: string[] = [];
  for (let day = first; day <= last; day++) if (isTradingDay(isoOf(day))) sessions.push(isoOf(day));
  return sessions;
}

/** A price in centavos that moves with the date: a yearly and a monthly swing, the same for every file. */
function trendCents(ticker: string, baseCents: number, day: number, seed: number): number {
  const phase = seededRandom(tickerSeed(ticker, seed))() * 2 * Math.PI;
  const swing =
    1 + 0.25 * Math.sin((2 * Math.PI * day) / 365 + phase) + 0.08 * Math.sin((2 * Math.PI * day) / 29 + phase);
  return baseCents * swing;
}

/** The third Friday of the month after `day`'s, when the option series of that session expires. */
function expiryAfter(day: number): string {
  const date = new Date(day * DAY_MS);
  const first = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS;
  const firstFriday = first + ((5 - new Date(first * DAY_MS).getUTCDay() + 7) % 7);
  return isoOf(firstFriday + 14);
}

/** One instrument's record of one session (`date` ISO). */
export function cotahistRecord(instrument: CotahistInstrument, date: string, seed = 42): string {
  const day = dayNumber(date);
  const random = seededRandom(tickerSeed(`${instrument.ticker}@${date}`, seed));
  const factor = instrument.factor ?? 1;
  let ticker = instrument.ticker;
  let center = trendCents(instrument.follows ?? instrument.ticker, instrument.baseCents, day, seed);
  let expiry: string | undefined;
  if (instrument.option) {
    expiry = expiryAfter(day);
    ticker = `${instrument.ticker}${SERIES[Number(expiry.slice(5, 7)) - 1]}${instrument.option.strikeCents / 10}`;
    const timeValue = center * 0.03 * Math.sqrt((dayNumber(expiry) - day) / 30);
    center = Math.max(center - instrument.option.strikeCents, 0) + timeValue;
  }
  const cents = (value: number) => Math.max(1, Math.round(value * factor));
  const open = cents(center * (1 + (random() - 0.5) * 0.04));
  const close = cents(center * (1 + (random() - 0.5) * 0.04));
  const high = Math.round(Math.max(open, close) * (1 + random() * 0.02));
  const low = Math.max(1, Math.round(Math.min(open, close) * (1 - random() * 0.02)));
  const average = Math.min(high, Math.max(low, Math.round((open + close + high + low) / 4)));
  const trades = 1 + Math.floor(random() * (instrument.market === 10 ? 60_000 : 3_000));
  const lot = instrument.market === 20 ? 1 + Math.floor(random() * 99) : 100 * (1 + Math.floor(random() * 9));
  const quantity = trades * lot;
  const record = cotahistQuote({
    date: compact(date),
    ticker,
    market: instrument.market,
    bdi: instrument.bdi,
    name: instrument.name,
    spec: instrument.spec,
    isin: instrument.isin,
    prices: [open, high, low, average, close, Math.max(1, close - 1), close + 1],
    trades,
    quantity,
    volume: Math.round((quantity * average) / factor),
    factor,
    expiry: expiry ? compact(expiry) : undefined,
  });
  // The builder writes no strike: PREEXE is positions 189-201.
  return instrument.option
    ? setField(record, 189, 201, String(instrument.option.strikeCents).padStart(13, '0'))
    : record;
}

/** `record` with positions start..end (1-based, inclusive, as B3's layout prints them) replaced by `text`. */
function setField(record: string, start: number, end: number, text: string): string {
  if (text.length !== end - start + 1) throw new Error(`${text} does not fit positions ${start}-${end}`);
  return record.slice(0, start - 1) + text + record.slice(end);
}

/** A file's header (00) and trailer (99): NOMARQ `COTAHIST.<year>`, generated on its last session. */
function frame(year: number, generatedOn: string, total: number): { header: string; trailer: string } {
  const name = `COTAHIST.${year}`;
  return {
    header: setField(setField(cotahistHeader(compact(generatedOn)), 3, 15, name), 24, 31, compact(generatedOn)),
    trailer: setField(setField(cotahistTrailer(total), 3, 15, name), 24, 31, compact(generatedOn)),
  };
}

/**
 * The text of a file (CRLF, as B3 writes it) with its sessions up to `today`, or undefined when it
 * has none. `truncated`: its last records are missing but the trailer still counts them.
 */
export function cotahistFileText(
  file: CotahistFileInfo,
  options: { today: string; seed?: number; truncated?: boolean },
): string | undefined {
  const sessions = cotahistSessions(file, options.today);
  if (!sessions.length) return undefined;
  const quotes = sessions.flatMap((date) => COTAHIST_INSTRUMENTS.map((i) => cotahistRecord(i, date, options.seed)));
  const { header, trailer } = frame(file.year, sessions[sessions.length - 1], quotes.length + 2);
  const kept = options.truncated ? quotes.slice(0, Math.max(1, quotes.length - 3)) : quotes;
  return cotahistText([header, ...kept, trailer], '\r\n');
}

export interface CotahistFilesOptions {
  /** ISO date the server takes as today: later sessions are not published yet. */
  today: string;
  seed?: number;
  /** File names answered with B3's HTML "not found" page (HTTP 200), as B3 does for a file it has not published. */
  htmlPages?: Iterable<string>;
  /** File names served truncated: a valid zip whose text lacks its last records (the trailer counts them). */
  truncated?: Iterable<string>;
}

/** A file the server has: its bytes, content type and headers. */
export interface CotahistAnswer {
  body: Buffer;
  type: string;
  headers: Record<string, string>;
}

/** B3's answer for a file it does not have, in the habit the client must detect: an HTML page with HTTP 200. */
const NOT_FOUND_PAGE = Buffer.from(
  '<!DOCTYPE html><html lang="pt-br"><head><meta charset="utf-8"><title>B3 | Página não encontrada</title></head>' +
    '<body><h1>Página não encontrada</h1><p>O arquivo solicitado não está disponível.</p></body></html>',
  'utf8',
);

/** Files kept once made (an annual zip takes some milliseconds to make). */
const CACHE_SIZE = 32;

/** The COTAHIST folder of the replay server: answers a file name with a zip, an HTML page, or nothing (404). */
export class CotahistFiles {
  readonly today: string;
  private readonly seed: number;
  private readonly htmlPages: Set<string>;
  private readonly truncated: Set<string>;
  private readonly cache = new Map<string, CotahistAnswer | undefined>();

  constructor(options: CotahistFilesOptions) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(options.today) || Number.isNaN(dayNumber(options.today)))
      throw new RangeError(`today must be an ISO date (YYYY-MM-DD), not ${options.today}`);
    this.today = options.today;
    this.seed = options.seed ?? 42;
    this.htmlPages = new Set([...(options.htmlPages ?? [])].map((n) => n.toUpperCase()));
    this.truncated = new Set([...(options.truncated ?? [])].map((n) => n.toUpperCase()));
  }

  /**
   * The answer to `GET <COTAHIST_PATH><name>`: undefined (404) for a name that is not a COTAHIST
   * zip, a file with no session up to today (the future, a weekend day), and a daily file of a weekend.
   */
  answer(name: string): CotahistAnswer | undefined {
    let file: CotahistFileInfo;
    try {
      file = parseCotahistFileName(name);
    } catch {
      return undefined;
    }
    if (file.extension !== 'ZIP') return undefined;
    const key = name.toUpperCase();
    if (this.htmlPages.has(key)) return { body: NOT_FOUND_PAGE, type: 'text/html; charset=utf-8', headers: {} };
    if (!this.cache.has(key)) {
      const oldest = this.cache.keys().next();
      if (this.cache.size >= CACHE_SIZE && !oldest.done) this.cache.delete(oldest.value);
      this.cache.set(key, this.make(key, file));
    }
    return this.cache.get(key);
  }

  private make(name: string, file: CotahistFileInfo): CotahistAnswer | undefined {
    const truncated = this.truncated.has(name);
    const text = cotahistFileText(file, { today: this.today, seed: this.seed, truncated });
    if (text === undefined) return undefined;
    // Published in the evening of its last session, as B3 does.
    const published = new Date(`${cotahistSessions(file, this.today).pop()}T21:00:00-03:00`);
    return {
      body: zipOf([{ name: name.replace(/\.ZIP$/, '.TXT'), data: text }]),
      type: 'application/x-zip-compressed',
      headers: { 'Last-Modified': published.toUTCString() },
    };
  }
}

/** Today in São Paulo, B3's time zone (ISO date). */
export function saoPauloToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo' }).format(now);
}
