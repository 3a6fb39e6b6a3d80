import { cotahistFile, cotahistQuote, zipOf } from '../../../test-support/cotahist';
import { serverPerTest, type Handler } from '../../../test-support/local-server';
import { HttpError } from '../../errors';
import type { HttpClientOptions } from '../../http/http-client';
import {
  COTAHIST_URL,
  CotahistClient,
  CotahistFileNameError,
  CotahistNotPublishedError,
  cotahistFileName,
  parseCotahistFileName,
  type CotahistFileRequest,
} from './client';
import { CotahistReader } from './reader';

const FAST: HttpClientOptions = { baseDelayMs: 5, maxDelayMs: 20, minIntervalMs: 0, timeoutMs: 2000 };
const ZIP = zipOf([
  {
    name: 'COTAHIST_D26032021.TXT',
    data: cotahistFile([cotahistQuote(), cotahistQuote({ ticker: 'VALE3', isin: 'BRVALEACNOR0' })]),
  },
]);

async function bytesOf(body: AsyncIterable<Uint8Array>): Promise<{ bytes: Buffer; chunks: number }> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return { bytes: Buffer.concat(chunks), chunks: chunks.length };
}

describe('COTAHIST file names', () => {
  it('names annual, monthly and daily files as B3 does', () => {
    expect(cotahistFileName({ year: 2021 })).toBe('COTAHIST_A2021.ZIP');
    expect(cotahistFileName({ year: 2021, month: 3 })).toBe('COTAHIST_M032021.ZIP');
    expect(cotahistFileName({ date: '2021-03-26' })).toBe('COTAHIST_D26032021.ZIP');
    expect(cotahistFileName({ year: 1986 }, 'TXT')).toBe('COTAHIST_A1986.TXT');
  });

  it('reads names back, .ZIP or .TXT in any case, with kind, year, month and date', () => {
    expect(parseCotahistFileName('COTAHIST_A2021.ZIP')).toEqual({ kind: 'annual', year: 2021, extension: 'ZIP' });
    expect(parseCotahistFileName('cotahist_m122020.txt')).toEqual({
      kind: 'monthly',
      year: 2020,
      month: 12,
      extension: 'TXT',
    });
    expect(parseCotahistFileName('COTAHIST_D26032021.Zip')).toEqual({
      kind: 'daily',
      year: 2021,
      month: 3,
      date: '2021-03-26',
      extension: 'ZIP',
    });
  });

  it('round-trips every kind: a name read back names the same file', () => {
    for (const name of ['COTAHIST_A1986.ZIP', 'COTAHIST_M012024.ZIP', 'COTAHIST_D29022024.ZIP', 'COTAHIST_A2021.TXT']) {
      const info = parseCotahistFileName(name);
      expect(cotahistFileName(info, info.extension)).toBe(name);
    }
    const requests: CotahistFileRequest[] = [{ year: 2020 }, { year: 2020, month: 7 }, { date: '2020-07-31' }];
    for (const request of requests) expect(parseCotahistFileName(cotahistFileName(request))).toMatchObject(request);
  });

  it.each([
    'COTAHIST_A1985.ZIP',
    'COTAHIST_A21.ZIP',
    'COTAHIST_M132021.ZIP',
    'COTAHIST_M002021.ZIP',
    'COTAHIST_D30022021.ZIP',
    'COTAHIST_D26032021.CSV',
    'COTAHIST_D26032021_pedrosampaiomatias.TXT',
    'dir/COTAHIST_A2021.ZIP',
    'COTAHIST_A2021.ZIP ',
    '',
  ])('rejects the name %j with a typed error', (name) => {
    expect(() => parseCotahistFileName(name)).toThrow(CotahistFileNameError);
  });

  it.each([
    [{ year: 1985 }, /year 1985/],
    [{ year: 2021.5 }, /year 2021.5/],
    [{ year: 2021, month: 0 }, /month 0/],
    [{ year: 2021, month: 13 }, /month 13/],
    [{ date: '2021-02-29' }, /2021-02-29 is not a date/],
    [{ date: '26/03/2021' }, /YYYY-MM-DD/],
  ] as [CotahistFileRequest, RegExp][])('rejects the request %j with a typed error', (request, reason) => {
    const error = (() => {
      try {
        return cotahistFileName(request);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CotahistFileNameError);
    expect(error).toMatchObject({
      code: 'COTAHIST_FILE_NAME',
      retryable: false,
      message: expect.stringMatching(reason),
    });
  });
});

describe('CotahistClient against a real local server', () => {
  const servers = serverPerTest();
  const client = async (handler: Handler) =>
    new CotahistClient({ baseUrl: `${await servers.serve(handler)}/InstDados/SerHist/`, http: FAST });
  const zipServer: Handler = (_req, res) => {
    res.writeHead(200, {
      'Content-Type': 'application/x-zip-compressed',
      'Content-Length': String(ZIP.length),
      'Last-Modified': 'Fri, 26 Mar 2021 22:10:00 GMT',
    });
    res.end(ZIP);
  };

  it('defaults to B3’s folder and writes names as B3 does', () => {
    const b3 = new CotahistClient();
    expect(b3.url({ year: 2021 })).toBe(`${COTAHIST_URL}COTAHIST_A2021.ZIP`);
    expect(b3.url('cotahist_d26032021.zip')).toBe(`${COTAHIST_URL}COTAHIST_D26032021.ZIP`);
  });

  it('streams a zip through intact, with its size and date, at the file’s URL', async () => {
    const cotahist = await client(zipServer);
    const download = await cotahist.download({ date: '2021-03-26' });
    expect(download).toMatchObject({
      name: 'COTAHIST_D26032021.ZIP',
      file: { kind: 'daily', date: '2021-03-26' },
      size: ZIP.length,
      lastModified: new Date('2021-03-26T22:10:00Z'),
      attempts: 1,
    });
    expect(download.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/InstDados\/SerHist\/COTAHIST_D26032021\.ZIP$/);
    expect((await bytesOf(download.body)).bytes.equals(ZIP)).toBe(true);
    expect(servers.current().hits.map((h) => h.path)).toEqual(['/InstDados/SerHist/COTAHIST_D26032021.ZIP']);
    expect(servers.current().hits[0].userAgent).toMatch(/^Mozilla\/5\.0/);
  });

  it('reads the downloaded zip with CotahistReader', async () => {
    const download = await (await client(zipServer)).download('COTAHIST_D26032021.ZIP');
    const reader = new CotahistReader(download.body);
    const quotes = [];
    for await (const quote of reader) quotes.push([quote.ticker, quote.close]);
    expect(quotes).toEqual([
      ['PETR4', 23.46],
      ['VALE3', 23.46],
    ]);
    expect([reader.container, reader.entryName, reader.sourceBytes]).toEqual([
      'zip',
      'COTAHIST_D26032021.TXT',
      ZIP.length,
    ]);
  });

  it('hands the first bytes over before the server has sent the rest (never holds the whole file)', async () => {
    let finish: () => void = () => undefined;
    const big = Buffer.concat([ZIP.subarray(0, 4), Buffer.alloc(4 << 20, 7)]);
    const download = await (
      await client((_req, res) => {
        res.writeHead(200, { 'Content-Length': String(big.length + 10) });
        res.write(big);
        finish = () => res.end(Buffer.alloc(10, 9));
      })
    ).download({ year: 2021 });
    let received = 0;
    for await (const chunk of download.body) {
      received += chunk.length;
      if (received === big.length) finish();
    }
    expect(received).toBe(big.length + 10);
  });

  it('turns a 404 into CotahistNotPublishedError, not retried, naming the file and when B3 publishes', async () => {
    const cotahist = await client((_req, res) => res.writeHead(404).end('not found'));
    const error = await cotahist.download({ date: '2021-03-27' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CotahistNotPublishedError);
    expect(error).toMatchObject({
      code: 'COTAHIST_NOT_PUBLISHED',
      retryable: false,
      fileName: 'COTAHIST_D27032021.ZIP',
      received: 'HTTP 404',
    });
    expect((error as Error).message).toMatch(/COTAHIST_D27032021\.ZIP.*in the evening after the session/);
    expect((error as Error).cause).toBeInstanceOf(HttpError);
    expect(servers.current().hits).toHaveLength(1);
  });

  it('turns an HTML page served with 200 into CotahistNotPublishedError', async () => {
    const cotahist = await client((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><head><title>B3</title></head><body>Página não encontrada</body></html>');
    });
    const error = await cotahist.download({ year: 2021, month: 4 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CotahistNotPublishedError);
    expect(error).toMatchObject({ fileName: 'COTAHIST_M042021.ZIP', received: 'an HTML page, not a zip (HTTP 200)' });
    expect(servers.current().hits).toHaveLength(1);
  });

  it('turns a tiny non-zip body or an empty one into CotahistNotPublishedError', async () => {
    const cotahist = await client((req, res) => res.end(req.url?.endsWith('A2020.ZIP') ? '' : 'erro'));
    await expect(cotahist.download({ year: 2020 })).rejects.toMatchObject({
      code: 'COTAHIST_NOT_PUBLISHED',
      received: 'an empty body (HTTP 200)',
    });
    await expect(cotahist.download({ year: 2021 })).rejects.toMatchObject({
      code: 'COTAHIST_NOT_PUBLISHED',
      received: expect.stringMatching(/^a body that is not a zip \(HTTP 200/),
    });
  });

  it('checks the zip magic even when it arrives split over chunks', async () => {
    const cotahist = await client((_req, res) => {
      res.writeHead(200, { 'Content-Length': String(ZIP.length) });
      res.write(ZIP.subarray(0, 2));
      setTimeout(() => res.end(ZIP.subarray(2)), 30);
    });
    const download = await cotahist.download({ year: 2021 });
    expect((await bytesOf(download.body)).bytes.equals(ZIP)).toBe(true);
  });

  it('retries a 503 and then streams the file', async () => {
    const retries: number[] = [];
    const cotahist = new CotahistClient({
      baseUrl: await servers.serve((req, res, hit) =>
        hit === 1 ? res.writeHead(503).end('busy') : zipServer(req, res, hit),
      ),
      http: { ...FAST, onRetry: (event) => retries.push(event.attempt) },
    });
    const download = await cotahist.download({ year: 2021 });
    expect(download.attempts).toBe(2);
    expect(retries).toEqual([1]);
    expect((await bytesOf(download.body)).bytes.equals(ZIP)).toBe(true);
  });

  it('reports a network failure as a retryable HttpError after its attempts', async () => {
    const cotahist = await client((_req, res) => res.destroy());
    const error = await cotahist.download({ year: 2021 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ code: 'HTTP_ERROR', retryable: true, attempts: 4 });
  });

  it('reports a connection cut mid-file as a retryable error from the body', async () => {
    const cotahist = await client((_req, res) => {
      res.writeHead(200, { 'Content-Length': String(ZIP.length) });
      res.write(ZIP.subarray(0, 100));
      setTimeout(() => res.destroy(), 30);
    });
    const download = await cotahist.download({ year: 2021 });
    const error = await bytesOf(download.body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ retryable: true, message: expect.stringMatching(/while reading the body/) });
  });

  it('rejects a bad name or a .TXT before any request', async () => {
    const cotahist = await client(zipServer);
    await expect(cotahist.download('COTAHIST_A1985.ZIP')).rejects.toBeInstanceOf(CotahistFileNameError);
    await expect(cotahist.download('COTAHIST_A2021.TXT')).rejects.toThrow(/serves the files zipped/);
    await expect(cotahist.download({ year: 2021, month: 13 })).rejects.toBeInstanceOf(CotahistFileNameError);
    expect(servers.current().hits).toHaveLength(0);
  });
});
