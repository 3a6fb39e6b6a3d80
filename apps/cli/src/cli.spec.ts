import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run } from './cli';
import type { Io } from './io';

const FIXTURES = resolve(__dirname, '../../../tools/fixtures');
const fixture = (path: string) => join(FIXTURES, path);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false };
  const code = await run(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('b3lake parse', () => {
  it('prints exactly { ticker, kind, layout, raw, values, unknownLabels } for a detail page with --json', async () => {
    const { code, out } = await cli('parse', fixture('fundamentus/detalhes_PETR4.html'), '--json');
    expect(code).toBe(0);
    const page = JSON.parse(out);
    expect(Object.keys(page).sort()).toEqual(['kind', 'layout', 'raw', 'ticker', 'unknownLabels', 'values']);
    expect(page.values).toMatchObject({ vlr_cot: 31.6, pct_var_dia: -0.0291, dt_ult_cot: '2022-05-24' });
  });

  it('prints a readable table by default, percentages shown as fraction and percent', async () => {
    const { code, out } = await cli('parse', fixture('fundamentus/detalhes_HGLG11.html'));
    expect(code).toBe(0);
    expect(out).toMatch(/^HGLG11 — PÁTRIA LOG FII \(fii, fii layout\)/);
    expect(out).toMatch(/pct_var_30d\s+-0\.0176 \(-1\.76%\)/);
  });

  it('detects a listing page and summarises it', async () => {
    const { out } = await cli('parse', fixture('fundamentus/resultado.html'));
    expect(out).toMatch(/^4 ações, 22 columns, 1 duplicate rows collapsed/);
  });

  it('detects B3 JSON and CSV', async () => {
    expect((await cli('parse', fixture('b3/GetPortfolioDay_IBOV_pt-br.json'))).out).toMatch(
      /portfolio of 2022-05-24: 4 assets, participations sum to 100%/,
    );
    const csv = JSON.parse((await cli('parse', fixture('b3/IBOVDia_24-05-22.csv'), '--json')).out);
    expect(csv).toMatchObject({ format: 'b3-portfolio-csv', date: '2022-05-24', index: 'IBOV' });
  });

  it('prints the candidates of an ambiguous ticker on one line and exits 1', async () => {
    const { code, err } = await cli('parse', fixture('fundamentus/detalhes_AURA3.html'));
    expect(code).toBe(1);
    expect(err).toBe(
      'b3lake: error: The ticker is ambiguous on Fundamentus ("Selecione o Papel"); ' +
        'candidates: AURA32 (AURA 360), AURA33 (AURA 360).',
    );
  });

  it('exits 4 with the path when the file does not exist', async () => {
    const { code, err } = await cli('parse', 'no/such/file.html');
    expect(code).toBe(4);
    expect(err).toMatch(/file not found: no\/such\/file\.html/);
  });
});

describe('b3lake usage', () => {
  it('prints help with the exit codes and exits 0', async () => {
    const { code, out } = await cli('--help');
    expect(code).toBe(0);
    expect(out).toMatch(/Exit codes:/);
  });
  it('exits 2 on an unknown command, an unknown option or a bad value', async () => {
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('parse', 'x', '--nope')).code).toBe(2);
    expect((await cli('tickers', '--kind', 'bonds')).err).toMatch(
      /'--kind <kind>' argument 'bonds' is invalid\. must be acoes or fiis/,
    );
    expect((await cli('ticker', 'A', 'B')).code).toBe(2);
    expect((await cli()).code).toBe(2);
  });
  it('help of an unknown command says so (exit 2); an option of another command names that command', async () => {
    expect(await cli('help', 'nope')).toMatchObject({ code: 2, err: expect.stringMatching(/unknown command 'nope'/) });
    const other = await cli('run', '--format', 'csv');
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/--format is an option of query/);
    expect(other.err).not.toMatch(/Did you mean/);
    expect((await cli('run', '--kind', 'fiis')).err).toMatch(/Did you mean --kinds\?/);
  });
  it('refuses another trading date against the live sites, saying when the lake cannot rebuild it', async () => {
    const { code, err } = await cli('run', '--date', '2022-05-24', '--data-dir', '/tmp/b3lake-no-such-lake');
    expect(code).toBe(2);
    expect(err).toMatch(/the live sites serve only today's data .* has no archived pages of 2022-05-24/);
    const weekend = await cli('run', '--date', '2022-05-28', '--data-dir', '/tmp/b3lake-no-such-lake', '--json');
    expect(weekend.code).toBe(0);
    expect(JSON.parse(weekend.out)).toMatchObject({ skipped: expect.stringMatching(/not a B3 trading day/) });
  });
  it('rejects an invalid ticker before any request (exit 1)', async () => {
    const { code, err } = await cli('ticker', 'PETR4;DROP', '--fundamentus-url', 'http://127.0.0.1:9');
    expect(code).toBe(1);
    expect(err).toMatch(/Invalid ticker "PETR4;DROP"/);
  });
});

describe('b3lake against a local server', () => {
  let server: Server;
  let base: string;
  const paths: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      paths.push(url.pathname + url.search);
      let file: string | undefined;
      if (url.pathname === '/detalhes.php') file = `fundamentus/detalhes_${url.searchParams.get('papel')}.html`;
      else if (url.pathname === '/resultado.php') file = 'fundamentus/resultado.html';
      else if (url.pathname === '/fii_resultado.php') file = 'fundamentus/fii_resultado.html';
      else if (url.pathname.startsWith('/indexProxy/indexCall/GetPortfolioDay/'))
        file = 'b3/GetPortfolioDay_IBOV_pt-br.json';
      let body: Buffer;
      try {
        body = readFileSync(fixture(file ?? 'missing'));
      } catch {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'Content-Type': file?.endsWith('.json') ? 'application/json; charset=utf-8' : 'text/html; charset=iso-8859-1',
      });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });

  it('ticker fetches and parses one asset (lower-case input accepted)', async () => {
    const { code, out } = await cli('ticker', 'itub4', '--json', '--fundamentus-url', base);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ ticker: 'ITUB4', layout: 'bank', values: { vlr_depositos: 933000000000 } });
    expect(paths).toContain('/detalhes.php?papel=ITUB4');
  });

  it('ticker exits 1 with a clear line for an unknown ticker', async () => {
    const { code, err } = await cli('ticker', 'XXXX99', '--fundamentus-url', base);
    expect(code).toBe(1);
    expect(err).toMatch(/Ticker XXXX99 was not found on Fundamentus/);
  });

  it('tickers lists every stock, or every FII with --kind fiis', async () => {
    const acoes = await cli('tickers', '--fundamentus-url', base);
    expect(acoes.out.split('\n')[0]).toBe('4 ações, 22 columns, 1 duplicate rows collapsed');
    const fiis = JSON.parse((await cli('tickers', '--kind', 'fiis', '--json', '--fundamentus-url', base)).out);
    expect(fiis.rows.map((r: { ticker: string }) => r.ticker)).toEqual(['HGLG11', 'MXRF11']);
    expect(fiis.rows[0].values.endereco).toBe('Rod. Anhanguera – km 25, Cajamar - SP');
  });

  it('ibov fetches the day portfolio with the base64 payload B3 expects', async () => {
    const { code, out } = await cli('ibov', '--json', '--b3-url', base);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ index: 'IBOV', date: '2022-05-24', rows: expect.any(Array) });
    const payload = paths
      .find((p) => p.includes('GetPortfolioDay'))!
      .split('/')
      .pop()!;
    expect(JSON.parse(Buffer.from(payload, 'base64').toString())).toEqual({
      language: 'pt-br',
      pageNumber: 1,
      pageSize: 9999,
      index: 'IBOV',
      segment: '1',
    });
  });

  it('exits 3 on an HTTP failure, naming the status', async () => {
    const { code, err } = await cli('ticker', 'NOPE3', '--fundamentus-url', base, '--retries', '1');
    expect(code).toBe(3);
    expect(err).toMatch(/failed with HTTP 404 after 1 attempt/);
  });

  it('exits 3 when nothing answers, after the given number of attempts', async () => {
    const { code, err } = await cli('ticker', 'PETR4', '--fundamentus-url', 'http://127.0.0.1:9', '--retries', '2');
    expect(code).toBe(3);
    expect(err).toMatch(/after 2 attempt/);
  });
});
