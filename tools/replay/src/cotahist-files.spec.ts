import { resolve } from 'node:path';
import {
  CotahistClient,
  CotahistIncompleteError,
  CotahistNotPublishedError,
  CotahistReader,
  type CotahistQuote,
} from '@b3lake/scraper';
import { COTAHIST_INSTRUMENTS, CotahistFiles, cotahistSessions } from './cotahist-files';
import { startReplayServer, type ReplayOptions, type ReplayServer } from './replay-server';

const FIXTURES = resolve(__dirname, '../../fixtures');
const TODAY = '2022-05-24';
const INSTRUMENTS = COTAHIST_INSTRUMENTS.length;

describe('replay server — COTAHIST zips', () => {
  let server: ReplayServer;
  let client: CotahistClient;
  const start = async (options: Partial<ReplayOptions> = {}) => {
    server = await startReplayServer({ fixturesDir: FIXTURES, today: TODAY, ...options });
    client = new CotahistClient({
      baseUrl: server.cotahistUrl,
      http: { minIntervalMs: 0, baseDelayMs: 5, maxDelayMs: 20 },
    });
  };
  afterEach(() => server?.stop());

  /** Downloads a file through CotahistClient and reads it whole with CotahistReader. */
  const read = async (name: string) => {
    const download = await client.download(name);
    const reader = new CotahistReader(download.body);
    const quotes: CotahistQuote[] = [];
    for await (const quote of reader) quotes.push(quote);
    return { download, reader, quotes };
  };
  const byDate = (quotes: CotahistQuote[]) => {
    const dates = new Map<string, CotahistQuote[]>();
    for (const quote of quotes) dates.set(quote.date, [...(dates.get(quote.date) ?? []), quote]);
    return dates;
  };

  it('serves a past year whole: every trading day, one record per instrument, header and trailer valid', async () => {
    await start();
    expect(server.cotahistUrl).toBe(`${server.url}/InstDados/SerHist/`);
    const { download, reader, quotes } = await read('COTAHIST_A2021.ZIP');
    expect(download).toMatchObject({ name: 'COTAHIST_A2021.ZIP', file: { kind: 'annual', year: 2021 } });
    expect(download.size).toBe(reader.sourceBytes);
    expect([reader.container, reader.entryName]).toEqual(['zip', 'COTAHIST_A2021.TXT']);
    expect(reader.header).toEqual({ fileName: 'COTAHIST.2021', origin: 'BOVESPA', generatedOn: '2021-12-30' });
    expect(reader.trailer).toMatchObject({ fileName: 'COTAHIST.2021', totalRecords: quotes.length + 2 });
    const dates = byDate(quotes);
    expect(dates.size).toBe(249); // B3's trading days of 2021: no weekend, no holiday
    for (const [date, records] of dates) {
      expect(new Date(`${date}T00:00:00Z`).getUTCDay() % 6).not.toBe(0);
      expect(records).toHaveLength(INSTRUMENTS);
    }
    expect(quotes).toHaveLength(249 * INSTRUMENTS);
  });

  it('serves the current year and month up to the server’s today, and its day', async () => {
    await start();
    const annual = await read('COTAHIST_A2022.ZIP');
    const monthly = await read('COTAHIST_M052022.ZIP');
    const daily = await read('COTAHIST_D24052022.ZIP');
    expect(byDate(annual.quotes).size).toBe(
      cotahistSessions({ kind: 'annual', year: 2022, extension: 'ZIP' }, TODAY).length,
    );
    expect([...byDate(monthly.quotes).keys()]).toEqual(
      ['02', '03', '04', '05', '06', '09', '10', '11', '12', '13', '16', '17', '18', '19', '20', '23', '24'].map(
        (d) => `2022-05-${d}`,
      ),
    );
    expect(daily.quotes.map((q) => q.date)).toEqual(Array(INSTRUMENTS).fill(TODAY));
    expect(monthly.reader.header?.generatedOn).toBe(TODAY);
    expect(daily.download.lastModified).toEqual(new Date('2022-05-24T21:00:00-03:00'));
  });

  it('gives a day the same records in its daily, monthly and annual files', async () => {
    await start();
    const day = (quotes: CotahistQuote[]) => quotes.filter((q) => q.date === '2022-05-10');
    const daily = (await read('COTAHIST_D10052022.ZIP')).quotes;
    expect(day((await read('COTAHIST_M052022.ZIP')).quotes)).toEqual(daily);
    expect(day((await read('COTAHIST_A2022.ZIP')).quotes)).toEqual(daily);
  });

  it('holds a stock, a FII, an ETF, a call option, an odd lot and a FATCOT 1000 ticker', async () => {
    await start();
    const quotes = Object.fromEntries((await read('COTAHIST_D24052022.ZIP')).quotes.map((q) => [q.ticker, q]));
    expect(Object.keys(quotes)).toEqual(
      expect.arrayContaining(['PETR4', 'VALE3', 'ITUB4', 'HGLG11', 'MXRF11', 'BOVA11', 'PETR4F', 'TAEE11']),
    );
    expect(quotes['PETR4']).toMatchObject({ bdiCode: '02', marketType: 10, quoteFactor: 1, expiry: null });
    expect(quotes['HGLG11']).toMatchObject({ bdiCode: '12', marketType: 10, isin: 'BRHGLGCTF004' });
    expect(quotes['BOVA11']).toMatchObject({ bdiCode: '14', marketType: 10 });
    expect(quotes['PETR4F']).toMatchObject({ bdiCode: '96', marketType: 20, isin: quotes['PETR4'].isin });
    // The series of June 2022 (F), strike R$ 32,00, expiring on the third Friday of June.
    expect(quotes['PETRF320']).toMatchObject({ bdiCode: '78', marketType: 70, strike: 32, expiry: '2022-06-17' });
    expect(quotes['TAEE11'].quoteFactor).toBe(1000);
    expect(quotes['TAEE11'].close / 1000).toBeGreaterThan(20);
    expect(quotes['TAEE11'].close / 1000).toBeLessThan(60);
  });

  it('moves prices with the date, each day’s prices consistent (low ≤ open, close, average ≤ high)', async () => {
    await start();
    const { quotes } = await read('COTAHIST_M042022.ZIP');
    const petr = quotes.filter((q) => q.ticker === 'PETR4');
    expect(new Set(petr.map((q) => q.close)).size).toBeGreaterThan(petr.length / 2);
    for (const q of quotes) {
      expect(q.low).toBeLessThanOrEqual(Math.min(q.open, q.close, q.average));
      expect(q.high).toBeGreaterThanOrEqual(Math.max(q.open, q.close, q.average));
      expect(q.bestBid).toBeLessThan(q.bestAsk);
      expect(q.volume).toBeGreaterThan(0);
    }
  });

  it('answers 404 after today, on a weekend day, a holiday, before 1986, and for names not zips', async () => {
    await start();
    for (const name of [
      'COTAHIST_D25052022.ZIP',
      'COTAHIST_D21052022.ZIP',
      'COTAHIST_D02042021.ZIP', // Good Friday
      'COTAHIST_M062022.ZIP',
      'COTAHIST_A2023.ZIP',
    ]) {
      const error = await client.download(name).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CotahistNotPublishedError);
      expect(error).toMatchObject({ fileName: name, received: 'HTTP 404' });
    }
    for (const name of ['COTAHIST_A1985.ZIP', 'COTAHIST_A2021.TXT', 'NOTES.ZIP'])
      expect((await fetch(`${server.cotahistUrl}${name}`)).status).toBe(404);
  });

  it('answers a --cotahist-html file with B3’s HTML page, which the client reports as not published', async () => {
    await start({ cotahistHtml: ['COTAHIST_D23052022.ZIP'] });
    const res = await fetch(`${server.cotahistUrl}COTAHIST_D23052022.ZIP`);
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    await expect(client.download({ date: '2022-05-23' })).rejects.toMatchObject({
      code: 'COTAHIST_NOT_PUBLISHED',
      received: 'an HTML page, not a zip (HTTP 200)',
    });
    await expect(read('COTAHIST_D24052022.ZIP')).resolves.toBeDefined();
  });

  it('serves a file named with --cotahist-truncated short of its trailer’s count', async () => {
    await start({ cotahistTruncated: ['COTAHIST_M042022.ZIP'] });
    const error = await read('COTAHIST_M042022.ZIP').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CotahistIncompleteError);
    expect(error).toMatchObject({ recordsDeclared: 19 * INSTRUMENTS + 2, recordsRead: 19 * INSTRUMENTS - 1 });
    expect((await read('COTAHIST_M032022.ZIP')).quotes).toHaveLength(22 * INSTRUMENTS);
  });

  it('takes quoteDate as today when no today is given', async () => {
    server = await startReplayServer({ fixturesDir: FIXTURES, quoteDate: '2022-05-20' });
    expect(server.today).toBe('2022-05-20');
    expect((await fetch(`${server.cotahistUrl}COTAHIST_D23052022.ZIP`)).status).toBe(404);
    expect((await fetch(`${server.cotahistUrl}COTAHIST_D20052022.ZIP`)).status).toBe(200);
  });

  it('rides out the server’s transient faults: the client retries and reads the whole file', async () => {
    await start({ faultRate: 1, faultKinds: ['500', 'challenge'], maxFaultsPerUrl: 2 });
    const { download, quotes } = await read('COTAHIST_D24052022.ZIP');
    expect(download.attempts).toBe(3);
    expect(quotes).toHaveLength(INSTRUMENTS);
  });

  it('makes the same bytes again from the same seed, and other prices from another seed', async () => {
    const zip = (seed: number) => new CotahistFiles({ today: TODAY, seed }).answer('COTAHIST_M052022.ZIP')!.body;
    expect(zip(42).equals(zip(42))).toBe(true);
    expect(zip(42).equals(zip(7))).toBe(false);
    expect(new CotahistFiles({ today: TODAY }).answer('cotahist_m052022.zip')!.body.equals(zip(42))).toBe(true);
  });
});
