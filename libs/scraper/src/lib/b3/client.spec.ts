import { LocalServer } from '../../test-support/local-server';
import { cp1252 } from '../../test-support/pages';
import { UnknownFormatError } from '../errors';
import { B3Client, decodeBase64Csv } from './client';

const CSV =
  'SMLL - Carteira do Dia 16/03/26\r\n' +
  'Código;Ação;Tipo;Qtde. Teórica;Part. (%)\r\n' +
  'ALOS3;ALLOS;ON      NM;466.135.796;100,000;\r\n' +
  'Quantidade Teórica Total;;;466.135.796;100,000\r\n' +
  'Redutor;;;1.234,5\r\n';
const THEORETICAL = JSON.stringify({
  header: { part: '100,000', theoricalQty: '10', reductor: '1,0' },
  results: [{ cod: 'ABEV3', asset: 'AMBEV', type: 'ON', theoricalQty: '10', part: '100,000', cont: 1 }],
});

describe('B3Client against a local server', () => {
  let server: LocalServer;
  let client: B3Client;

  beforeAll(async () => {
    server = new LocalServer((req, res) => {
      const method = (req.url ?? '').split('/')[3];
      res.end(method === 'GetDownloadPortfolioDay' ? Buffer.from(cp1252(CSV)).toString('base64') : THEORETICAL);
    });
    client = new B3Client({ baseUrl: `${await server.start()}/`, http: { minIntervalMs: 0 } });
  });
  afterAll(() => server.stop());

  it('decodes the Base64 CSV download and reads it', async () => {
    const portfolio = await client.getPortfolioCsv({ index: 'SMLL' });
    expect(portfolio).toMatchObject({
      index: 'SMLL',
      date: '2026-03-16',
      totalTheoreticalQuantity: 466135796,
      reductor: 1234.5,
    });
    const payload = server.hits[0].path.split('/').pop()!;
    expect(JSON.parse(Buffer.from(payload, 'base64').toString())).toEqual({ index: 'SMLL', language: 'pt-br' });
  });

  it('reads the theoretical portfolio of any index code', async () => {
    const portfolio = await client.getTheoreticalPortfolio({ index: 'IDIV' });
    expect(portfolio).toMatchObject({ source: 'GetTheoricalPortfolio', index: 'IDIV', date: null });
    expect(portfolio.rows[0]).toMatchObject({ ticker: 'ABEV3', rank: 1, participation: 1 });
  });

  it('builds the by-sector day-portfolio URL with segment "2"', () => {
    const url = client.portfolioDayUrl({ index: 'IFIX', segment: 2, language: 'en-us' });
    expect(url).toMatch(/\/indexProxy\/indexCall\/GetPortfolioDay\/[A-Za-z0-9+/=]+$/);
    expect(JSON.parse(Buffer.from(url.split('/').pop()!, 'base64').toString())).toEqual({
      language: 'en-us',
      pageNumber: 1,
      pageSize: 9999,
      index: 'IFIX',
      segment: '2',
    });
  });
});

describe('decodeBase64Csv', () => {
  it('passes a plain CSV through and rejects anything else', () => {
    const plain = new TextEncoder().encode('IBOV - Carteira do Dia 16/03/26\n');
    expect(decodeBase64Csv(plain)).toBe(plain);
    expect(() => decodeBase64Csv(new TextEncoder().encode('<html>oops</html>'))).toThrow(UnknownFormatError);
  });
  it('accepts a JSON-quoted Base64 body', () => {
    const quoted = new TextEncoder().encode(`"${Buffer.from('IBOV - Carteira do Dia 16/03/26').toString('base64')}"`);
    expect(Buffer.from(decodeBase64Csv(quoted)).toString()).toBe('IBOV - Carteira do Dia 16/03/26');
  });
});
