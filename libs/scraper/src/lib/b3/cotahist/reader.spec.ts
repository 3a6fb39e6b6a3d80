import { CotahistIncompleteError, CotahistReader, parseCotahist } from './reader';
import { CotahistFormatError } from './record';

/** Builds records field by field with the widths of B3's layout document (written here, not taken from layout.ts). */
const pad = (text: string | number, width: number, numeric: boolean) =>
  numeric ? String(text).padStart(width, '0') : String(text).padEnd(width, ' ');

function header(date = '20210326'): string {
  return '00' + pad('COTAHIST.2021', 13, false) + pad('BOVESPA', 8, false) + date + ' '.repeat(214);
}

function trailer(total: number): string {
  return (
    '99' +
    pad('COTAHIST.2021', 13, false) +
    pad('BOVESPA', 8, false) +
    '20210326' +
    pad(total, 11, true) +
    ' '.repeat(203)
  );
}

interface QuoteSpec {
  date?: string;
  ticker?: string;
  market?: number;
  prices?: number[];
  trades?: number;
  quantity?: number;
  volume?: number;
  expiry?: string;
  factor?: number;
  bdi?: string;
  spec?: string;
}

function quote(q: QuoteSpec = {}): string {
  const prices = q.prices ?? [2348, 2388, 2311, 2352, 2346, 2345, 2346];
  return (
    '01' +
    (q.date ?? '20210326') +
    pad(q.bdi ?? '02', 2, false) +
    pad(q.ticker ?? 'PETR4', 12, false) +
    pad(q.market ?? 10, 3, true) +
    pad('PETROBRAS', 12, false) +
    pad(q.spec ?? 'PN      N2', 10, false) +
    '   ' +
    'R$  ' +
    prices.map((p) => pad(p, 13, true)).join('') +
    pad(q.trades ?? 64400, 5, true) +
    pad(q.quantity ?? 60918600, 18, true) +
    pad(q.volume ?? 143317769400, 18, true) +
    pad(0, 13, true) +
    '0' +
    (q.expiry ?? '99991231') +
    pad(q.factor ?? 1, 7, true) +
    pad(0, 13, true) +
    pad('BRPETRACNPR6', 12, false) +
    '197'
  );
}

const file = (lines: string[], eol = '\n') => lines.join(eol) + eol;

async function all(body: string | string[]) {
  const reader = new CotahistReader(Array.isArray(body) ? body : [body]);
  const quotes = [];
  for await (const q of reader) quotes.push(q);
  return { reader, quotes };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('COTAHIST reader', () => {
  it('types every field of a quote: prices with two implied decimals, dates ISO, text without padding', async () => {
    const { header: h, quotes, trailer: t } = await parseCotahist(file([header(), quote(), trailer(3)]));
    expect(h).toEqual({ fileName: 'COTAHIST.2021', origin: 'BOVESPA', generatedOn: '2021-03-26' });
    expect(t.totalRecords).toBe(3);
    expect(quotes).toEqual([
      {
        date: '2021-03-26',
        bdiCode: '02',
        ticker: 'PETR4',
        marketType: 10,
        shortName: 'PETROBRAS',
        specification: 'PN      N2',
        forwardDays: '',
        currency: 'R$',
        open: 23.48,
        high: 23.88,
        low: 23.11,
        average: 23.52,
        close: 23.46,
        bestBid: 23.45,
        bestAsk: 23.46,
        trades: 64400,
        quantity: 60918600,
        volume: 1433177694,
        strike: 0,
        strikeCorrection: 0,
        expiry: null,
        quoteFactor: 1,
        strikePoints: 0,
        isin: 'BRPETRACNPR6',
        distribution: 197,
      },
    ]);
  });

  it('keeps the quote factor as published (FNAM11: per 1,000 shares) and an option expiry as a date', async () => {
    const lot = quote({ ticker: 'FNAM11', factor: 1000, prices: [96, 96, 96, 96, 96, 0, 0] });
    const option = quote({ ticker: 'PETRD240', market: 70, bdi: '78', expiry: '20210419' });
    const { quotes } = await all(file([header(), lot, option, trailer(4)]));
    expect(quotes.map((q) => [q.ticker, q.quoteFactor, q.close, q.marketType, q.expiry])).toEqual([
      ['FNAM11', 1000, 0.96, 10, null],
      ['PETRD240', 1, 23.46, 70, '2021-04-19'],
    ]);
  });

  it('reads CRLF files and chunks cut anywhere, even inside a record or between CR and LF', async () => {
    const text = file([header(), quote(), quote({ ticker: 'VALE3' }), trailer(4)], '\r\n');
    const chunks = text.match(/[\s\S]{1,7}/g) ?? [];
    const { quotes, reader } = await all(chunks);
    expect(quotes.map((q) => q.ticker)).toEqual(['PETR4', 'VALE3']);
    expect(reader.records).toBe(4);
  });

  it('names the line and the field of a malformed value instead of shifting anything', async () => {
    const bad = quote().slice(0, 60) + 'X' + quote().slice(61);
    const error = await failure(all(file([header(), quote(), bad, trailer(4)])));
    expect(error).toBeInstanceOf(CotahistFormatError);
    expect(error).toMatchObject({ code: 'COTAHIST_FORMAT', line: 3, field: 'PREABE' });
    expect(String((error as Error).message)).toMatch(
      /^COTAHIST line 3, field PREABE: ".*X.*" is not a number of 13 digits\.$/,
    );
  });

  it('refuses a wrong-length record, an unknown type, an impossible date and a record past the trailer', async () => {
    const cases: [string[], number, string][] = [
      [[header(), quote().slice(0, 244), trailer(3)], 2, ''],
      [[header(), '05' + quote().slice(2), trailer(3)], 2, 'TIPREG'],
      [[header(), quote({ date: '20210230' }), trailer(3)], 2, 'DATPRE'],
      [[header(), trailer(2), quote()], 3, 'TIPREG'],
      [['01' + quote().slice(2), trailer(2)], 1, 'TIPREG'],
    ];
    for (const [lines, line, field] of cases) {
      await expect(failure(all(file(lines)))).resolves.toMatchObject({ code: 'COTAHIST_FORMAT', line, field });
    }
  });

  it('refuses a file without its trailer or whose trailer counts other records (a truncated download)', async () => {
    await expect(failure(all(file([header(), quote()])))).resolves.toMatchObject({
      code: 'COTAHIST_INCOMPLETE',
      recordsRead: 2,
      recordsDeclared: null,
    });
    const short = await failure(all(file([header(), quote(), trailer(1745)])));
    expect(short).toBeInstanceOf(CotahistIncompleteError);
    expect(short).toMatchObject({ recordsRead: 3, recordsDeclared: 1745 });
  });

  it('gives up instead of rounding a number beyond 2^53', async () => {
    const huge = quote().slice(0, 152) + '9'.repeat(18) + quote().slice(170);
    await expect(failure(all(file([header(), huge, trailer(3)])))).resolves.toMatchObject({ line: 2, field: 'QUATOT' });
  });
});
