import { Readable } from 'node:stream';
import {
  cotahistFile,
  cotahistHeader as header,
  cotahistQuote as quote,
  cotahistText as file,
  cotahistTrailer as trailer,
} from '../../../test-support/cotahist';
import { CotahistIncompleteError, CotahistReader, isCotahist, parseCotahist } from './reader';
import { CotahistFormatError } from './record';

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

  it('gives the checked quote records themselves, without line breaks, across chunks cut anywhere', async () => {
    const quotes = [quote(), quote({ ticker: 'VALE3' }), quote({ ticker: 'ITUB4' })];
    const text = file([header(), ...quotes, trailer(5)], '\r\n');
    const records: string[] = [];
    for await (const batch of new CotahistReader(text.match(/[\s\S]{1,300}/g) ?? []).quoteRecords()) {
      records.push(...batch.map((r) => Buffer.from(r).toString('latin1')));
    }
    expect(records).toEqual(quotes);
  });

  it('checks the records it gives exactly as it checks the quotes it types', async () => {
    const bad = quote().slice(0, 60) + 'X' + quote().slice(61);
    const read = async () => {
      for await (const batch of new CotahistReader([file([header(), bad, trailer(3)])]).quoteRecords()) void batch;
    };
    await expect(failure(read())).resolves.toMatchObject({ code: 'COTAHIST_FORMAT', line: 2, field: 'PREABE' });
    const truncated = async () => {
      for await (const batch of new CotahistReader([file([header(), quote(), trailer(9)])]).quoteRecords()) void batch;
    };
    await expect(failure(truncated())).resolves.toMatchObject({ code: 'COTAHIST_INCOMPLETE' });
  });

  it('can leave the fields to its consumer and still check the framing (length, type, trailer count)', async () => {
    const bad = quote().slice(0, 60) + 'X' + quote().slice(61);
    const records: string[] = [];
    const reader = new CotahistReader([file([header(), bad, trailer(3)])]);
    for await (const batch of reader.quoteRecords({ checkFields: false })) {
      records.push(...batch.map((r) => Buffer.from(r).toString('latin1')));
    }
    expect(records).toEqual([bad]);
    const short = async () => {
      const unchecked = new CotahistReader([file([header(), bad.slice(1), trailer(3)])]);
      for await (const batch of unchecked.quoteRecords({ checkFields: false })) void batch;
    };
    await expect(failure(short())).resolves.toMatchObject({ code: 'COTAHIST_FORMAT', line: 2 });
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

  it('refuses a line break or another control character inside a text field, even at full length', async () => {
    const broken = quote().slice(0, 15) + '\n' + quote().slice(16); // 245 characters, a line feed in CODNEG
    await expect(failure(all(file([header(), broken, trailer(3)])))).resolves.toMatchObject({
      code: 'COTAHIST_FORMAT',
      line: 2,
      field: 'CODNEG',
    });
    const tab = quote({ name: 'PETRO\tBRAS' });
    await expect(failure(all(file([header(), tab, trailer(3)])))).resolves.toMatchObject({ line: 2, field: 'NOMRES' });
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

  it('reads a Node Readable whose chunks cut records anywhere, counting source and text bytes', async () => {
    const text = cotahistFile([quote(), quote({ ticker: 'VALE3' }), quote({ ticker: 'ITUB4' })], '\r\n');
    const bytes = Buffer.from(text, 'latin1');
    const reader = new CotahistReader(
      Readable.from(
        bytes
          .toString('latin1')
          .match(/[\s\S]{1,100}/g)!
          .map((c) => Buffer.from(c, 'latin1')),
      ),
    );
    const tickers: string[] = [];
    for await (const batch of reader.batches()) tickers.push(...batch.map((q) => q.ticker));
    expect(tickers).toEqual(['PETR4', 'VALE3', 'ITUB4']);
    expect([reader.container, reader.sourceBytes, reader.textBytes, reader.records]).toEqual([
      'text',
      bytes.length,
      bytes.length,
      5,
    ]);
  });

  it("decodes names as latin-1, the files' encoding", async () => {
    const name = Buffer.from('AÇÚCAR GUAR', 'latin1').toString('latin1');
    const { quotes } = await parseCotahist(Buffer.from(cotahistFile([quote({ name })]), 'latin1'));
    expect(quotes[0].shortName).toBe('AÇÚCAR GUAR');
  });

  it('refuses a blank line between records but accepts blank lines after the trailer', async () => {
    const blank = await failure(all(file([header(), quote(), '', trailer(3)])));
    expect(blank).toMatchObject({ code: 'COTAHIST_FORMAT', line: 3, field: '' });
    const { quotes } = await all(file([header(), quote(), trailer(3), '', '']));
    expect(quotes).toHaveLength(1);
  });

  it('stops at the first run without a line break instead of holding it (not a COTAHIST text)', async () => {
    const garbage = header() + '\n' + 'x'.repeat(100_000);
    const error = await failure(all(garbage.match(/[\s\S]{1,300}/g)!));
    expect(error).toMatchObject({ code: 'COTAHIST_FORMAT', line: 2, field: '' });
    expect(String((error as Error).message)).toMatch(/no line break within 980 characters/);
  });

  it('releases the source when the consumer stops early', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => quote({ ticker: `T${i}` }));
    const source = Readable.from([Buffer.from(cotahistFile(lines))], { objectMode: true });
    const reader = new CotahistReader(source);
    for await (const q of reader) if (q.ticker === 'T10') break;
    expect(source.destroyed).toBe(true);
  });

  it('reads its source once', async () => {
    const reader = new CotahistReader([cotahistFile([quote()])]);
    for await (const _ of reader) void _;
    await expect(reader.batches().next()).rejects.toThrow(/reads its source once/);
  });

  it('recognises a COTAHIST text or a zip from its first bytes', () => {
    expect(isCotahist(Buffer.from(header()))).toBe(true);
    expect(isCotahist(Buffer.from('PK\x03\x04rest', 'latin1'))).toBe(true);
    expect(isCotahist(Buffer.from('<html>'))).toBe(false);
    expect(isCotahist(new Uint8Array())).toBe(false);
  });
});
