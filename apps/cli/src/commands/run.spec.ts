import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ProventosSummary } from '@b3lake/pipeline';
import { cli } from '../test-support/run-cli';
import { kindsOf, proventosLines } from './run';

const FIXTURES = resolve(__dirname, '../../../../tools/fixtures/fundamentus');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const WEGE3 = fixture('proventos_WEGE3.html').toString('latin1');
const HGLG11 = fixture('fii_proventos_HGLG11.html').toString('latin1');

describe('the kinds of a run', () => {
  it("adds proventos to the daily kinds on the week's last trading day; --tickers means proventos", () => {
    expect(kindsOf({ date: '2022-05-26' })).toEqual(['acoes', 'fiis', 'ibov', 'cotahist']);
    expect(kindsOf({ date: '2022-05-27' })).toEqual(['acoes', 'fiis', 'ibov', 'cotahist', 'proventos']);
    expect(kindsOf({ date: '2022-04-14' })).toContain('proventos'); // Good Friday follows
    expect(kindsOf({ kinds: ['acoes'], date: '2022-05-27' })).toEqual(['acoes']);
    expect(kindsOf({ tickers: ['PETR4'] })).toEqual(['proventos']);
    expect(kindsOf({ tickers: ['PETR4'], kinds: ['ibov', 'proventos'] })).toEqual(['ibov', 'proventos']);
  });

  it('refuses --tickers with the detail pages or without proventos (exit 2), and a bad ticker', async () => {
    const withAcoes = await cli('run', '--kinds', 'acoes,proventos', '--tickers', 'PETR4', '--data-dir', '/tmp/x');
    expect(withAcoes.code).toBe(2);
    expect(withAcoes.err).toMatch(/--tickers applies to the proventos kind only, not to acoes/);
    const without = await cli('run', '--kinds', 'ibov', '--tickers', 'PETR4', '--data-dir', '/tmp/x');
    expect(without.code).toBe(2);
    expect(without.err).toMatch(/--tickers selects dividend pages: use it with --kinds proventos/);
    const bad = await cli('run', '--tickers', 'PETR4,PE$R', '--data-dir', '/tmp/x');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/not a ticker: PE\$R/);
    const kinds = await cli('run', '--kinds', 'dividends');
    expect(kinds.err).toMatch(/takes acoes, fiis, ibov, cotahist and\/or proventos/);
  });
});

describe('the dividend lines of a run summary', () => {
  const summary = (over: Partial<ProventosSummary> = {}): ProventosSummary => ({
    listed: { acoes: 1, fiis: 2 },
    tickers: { total: 3, fetched: 3, restored: 0, failed: 0, notAttempted: 0 },
    rows: 250,
    added: 3,
    removed: 1,
    notListed: [],
    changed: [{ ticker: 'HGLG11', kind: 'fiis', removed: ['2019-05-31|Rendimento|0.78|1|2019-06-14'], added: ['a'] }],
    perTicker: [
      { ticker: 'HGLG11', kind: 'fiis', source: 'fetched', rows: 112, added: 1, removed: 1, firstFetch: false },
      { ticker: 'MXRF11', kind: 'fiis', source: 'fetched', rows: 100, added: 2, removed: 0, firstFetch: false },
      { ticker: 'PETR4', kind: 'acoes', source: 'fetched', rows: 38, added: 0, removed: 0, firstFetch: false },
    ],
    ...over,
  });

  it('lists each changed history, the new rows per ticker, the totals', () => {
    expect(proventosLines(summary())).toEqual([
      '  proventos: 3 histories landed, 0 failed, 0 not attempted (1 acoes, 2 fiis); 3 pages requested',
      '    rows: 250 in the histories landed; 3 added, 1 removed since the previous snapshots',
      '    history changed: HGLG11 1 removed, 1 added (removed: 2019-05-31|Rendimento|0.78|1|2019-06-14)',
      '    new rows: MXRF11 +2',
    ]);
  });

  it('names ten tickers at most, and first snapshots by their rows', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      ticker: `AAAA${i + 1}`,
      kind: 'acoes' as const,
      source: 'archive' as const,
      rows: 10 + i,
      added: 10 + i,
      removed: 0,
      firstFetch: true,
    }));
    const lines = proventosLines(
      summary({
        changed: [],
        perTicker: many,
        tickers: { total: 12, fetched: 0, restored: 12, failed: 0, notAttempted: 0 },
        notListed: ['NOPE3'],
      }),
    );
    expect(lines[0]).toMatch(/12 histories landed \(12 from pages archived earlier today, no request\)/);
    expect(lines[2]).toMatch(
      /^ {4}first snapshot \(rows\): AAAA1 10, AAAA2 11, .* AAAA10 19, … 2 more \(--json lists every ticker\)$/,
    );
    expect(lines[3]).toBe("    not on the day's listings (nothing fetched): NOPE3");
  });
});

describe('b3lake run --kinds proventos against a local server', () => {
  let server: Server;
  let base: string;
  const requests: string[] = [];
  let dataDir: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      requests.push(url.pathname);
      const papel = url.searchParams.get('papel') ?? '';
      let body: Buffer | undefined;
      if (url.pathname === '/resultado.php') body = fixture('resultado.html');
      else if (url.pathname === '/fii_resultado.php') body = fixture('fii_resultado.html');
      else if (url.pathname === '/proventos.php') body = Buffer.from(WEGE3.replaceAll('WEGE3', papel), 'latin1');
      else if (url.pathname === '/fii_proventos.php') body = Buffer.from(HGLG11.replaceAll('HGLG11', papel), 'latin1');
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=iso-8859-1' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dataDir = mkdtempSync(join(tmpdir(), 'b3lake-cli-proventos-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });

  const args = (...extra: string[]) => [
    'run',
    '--date',
    '2022-05-27',
    '--kinds',
    'proventos',
    '--fundamentus-url',
    base,
    '--min-interval',
    '0',
    '--data-dir',
    dataDir,
    ...extra,
  ];

  it('lands every listed ticker’s history; a re-run of the day requests nothing; status counts the pages', async () => {
    const first = await cli(...args());
    expect(first.code).toBe(0);
    expect(requests.filter((p) => p.includes('proventos')).length).toBe(6);
    expect(first.out).toMatch(/^Run 2022-05-27 complete/);
    expect(first.out).toMatch(/proventos: 6 histories landed, 0 failed, 0 not attempted \(4 acoes, 2 fiis\); 6 pages/);
    expect(first.out).toMatch(/first snapshot \(rows\): HGLG11 5, ITUB4 12, MXRF11 5, PETR4 12, TAEE11 12, VALE3 12/);
    expect(first.out).toMatch(
      /Query: npx b3lake query "SELECT dt_com, .* WHERE codigo_ticker = 'HGLG11' ORDER BY dt_com DESC LIMIT 12" --data/,
    );

    requests.length = 0;
    const again = await cli(...args('--json'));
    expect(again.code).toBe(0);
    expect(requests).toEqual([]);
    const json = JSON.parse(again.out) as { proventos: ProventosSummary };
    expect(json.proventos).toMatchObject({ tickers: { fetched: 0, restored: 6 }, added: 0, removed: 0 });
    expect(json.proventos.perTicker).toHaveLength(6);
    expect(json.proventos.perTicker[0]).toMatchObject({ ticker: 'HGLG11', source: 'archive', firstFetch: false });

    const status = await cli('status', '--date', '2022-05-27', '--data-dir', dataDir);
    expect(status.out).toMatch(/\(proventos\)\n {2}dividend pages: 6\/6 landed, 0 dead-lettered, 0 not attempted/);
    expect(status.out).toMatch(/dividend pages: 6\/6 landed \(6 from archived pages\)/);

    const rows = await cli(
      'query',
      'SELECT codigo_ticker, count(*) AS n FROM db_b3lake_sot.tbsot_fundamentus_proventos GROUP BY 1 ORDER BY 1',
      '--format',
      'json',
      '--data-dir',
      dataDir,
    );
    expect(rows.code).toBe(0);
    expect((JSON.parse(rows.out) as { codigo_ticker: string }[]).map((r) => r.codigo_ticker)).toEqual([
      'HGLG11',
      'ITUB4',
      'MXRF11',
      'PETR4',
      'TAEE11',
      'VALE3',
    ]);
  });

  it('--tickers (without --kinds) fetches only those pages, lower case accepted', async () => {
    requests.length = 0;
    const only = await cli(
      ...args('--tickers', 'mxrf11', '--force').filter((a, i, all) => !(a === '--kinds' || all[i - 1] === '--kinds')),
    );
    expect(only.code).toBe(0);
    expect(requests.filter((p) => p.includes('proventos'))).toEqual(['/fii_proventos.php']);
    expect(only.out).toMatch(/proventos: 1 history landed, .*\(1 fiis\)/);
    expect(only.out).not.toMatch(/first snapshot/);
  });
});
