import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LocalServer } from '../../test-support/local-server';
import { companyPage, cp1252, listingPage } from '../../test-support/pages';
import { DeadlineExceededError, InvalidTickerError, LayoutChangedError } from '../errors';
import { FundamentusClient } from './client';

describe('FundamentusClient against a local server', () => {
  let server: LocalServer;
  let client: FundamentusClient;

  beforeAll(async () => {
    server = new LocalServer((req, res) => {
      const url = req.url ?? '';
      // Both listing URLs answer with the FII table, to prove the kind is checked.
      if (url.includes('resultado.php'))
        res.end(cp1252(listingPage('fiis', ['Papel', 'Cotação'], [{ ticker: 'HGLG11', name: 'X', cells: ['1,00'] }])));
      else res.end(cp1252(companyPage()));
    });
    client = new FundamentusClient({ baseUrl: await server.start(), http: { minIntervalMs: 0 } });
  });
  afterAll(() => server.stop());

  it('returns the exact bytes with when and where they were fetched', async () => {
    const page = await client.fetchDetailPage('PETR4');
    expect(page.url).toMatch(/\/detalhes\.php\?papel=PETR4$/);
    expect(page.fetchedAt).toBeInstanceOf(Date);
    expect(Buffer.from(page.body).includes(0xe7)).toBe(true); // cp1252 "ç", untouched
  });

  it('passes the request deadline through to the HTTP client', async () => {
    const before = server.hits.length;
    await expect(client.fetchDetailPage('PETR4', { deadline: Date.now() - 1 })).rejects.toThrow(DeadlineExceededError);
    expect(server.hits.length).toBe(before);
  });

  it('rejects an invalid ticker before any request', async () => {
    const before = server.hits.length;
    await expect(client.getDetail('PETR4/../x')).rejects.toThrow(InvalidTickerError);
    expect(() => client.detailUrl('petr4')).toThrow(InvalidTickerError);
    expect(server.hits.length).toBe(before);
  });

  it('checks that each listing URL served the listing it should', async () => {
    await expect(client.listFiis()).resolves.toMatchObject({ kind: 'fiis' });
    await expect(client.listAcoes()).rejects.toThrow(LayoutChangedError);
  });
});

describe('FundamentusClient: dividend pages (proventos)', () => {
  const fixtures = resolve(__dirname, '../../../../../tools/fixtures/fundamentus');
  const STOCK = readFileSync(resolve(fixtures, 'proventos_WEGE3.html'));
  const FII = readFileSync(resolve(fixtures, 'fii_proventos_HGLG11.html'));
  let server: LocalServer;
  let client: FundamentusClient;

  beforeAll(async () => {
    server = new LocalServer((req, res) => {
      // Both pages answer with what their path names, whatever the ticker, to prove the kind is checked.
      const url = req.url ?? '';
      if (url.startsWith('/fii_proventos.php')) res.end(FII);
      else if (url.startsWith('/proventos.php')) res.end(STOCK);
      else res.writeHead(404).end();
    });
    client = new FundamentusClient({ baseUrl: await server.start(), http: { minIntervalMs: 0 } });
  });
  afterAll(() => server.stop());

  it('builds proventos.php for a stock and fii_proventos.php with tipo=2 for a FII', () => {
    const site = new FundamentusClient();
    expect(site.proventosUrl('WEGE3', 'acoes')).toBe('https://www.fundamentus.com.br/proventos.php?papel=WEGE3');
    expect(site.proventosUrl('HGLG11', 'fiis')).toBe(
      'https://www.fundamentus.com.br/fii_proventos.php?papel=HGLG11&tipo=2',
    );
    expect(() => site.proventosUrl('wege3', 'acoes')).toThrow(InvalidTickerError);
  });

  it('fetches the exact bytes of the page, with where they came from', async () => {
    const page = await client.fetchProventosPage('HGLG11', 'fiis');
    expect(page.url).toMatch(/\/fii_proventos\.php\?papel=HGLG11&tipo=2$/);
    expect(Buffer.from(page.body).equals(FII)).toBe(true);
    expect(server.hits.at(-1)?.path).toBe('/fii_proventos.php?papel=HGLG11&tipo=2');
  });

  it('passes the request deadline through to the HTTP client', async () => {
    const before = server.hits.length;
    await expect(client.fetchProventosPage('WEGE3', 'acoes', { deadline: Date.now() - 1 })).rejects.toThrow(
      DeadlineExceededError,
    );
    expect(server.hits.length).toBe(before);
  });

  it('getProventos parses the page and checks it is the requested ticker and kind', async () => {
    await expect(client.getProventos('WEGE3', 'acoes')).resolves.toMatchObject({ kind: 'acao', ticker: 'WEGE3' });
    await expect(client.getProventos('HGLG11', 'fiis')).resolves.toMatchObject({ kind: 'fii', ticker: 'HGLG11' });
    await expect(client.getProventos('ITUB4', 'acoes')).rejects.toThrow(
      'proventos.php WEGE3: layout changed, the page is for WEGE3, not ITUB4.',
    );
  });

  it('rejects a page of the other kind as a changed layout', async () => {
    server.setHandler((_req, res) => res.end(FII));
    await expect(client.getProventos('HGLG11', 'acoes')).rejects.toThrow(
      'proventos.php HGLG11: layout changed, served the FII distributions table.',
    );
  });
});
