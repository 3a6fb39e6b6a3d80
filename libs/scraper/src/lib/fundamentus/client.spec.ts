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
