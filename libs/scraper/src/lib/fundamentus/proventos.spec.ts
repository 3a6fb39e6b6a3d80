import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UnsupportedPageError } from '../errors';
import { parseContent, detectFormat } from '../detect';
import { parseDetailPage } from './detail-parser';
import { parseListingPage } from './listing-parser';
import { recognizeProventosPage } from './proventos';

const FIXTURES = resolve(__dirname, '../../../../../tools/fixtures/fundamentus');
const STOCK = readFileSync(resolve(FIXTURES, 'proventos_WEGE3.html'));
const FII = readFileSync(resolve(FIXTURES, 'fii_proventos_HGLG11.html'));

function thrown(parse: () => unknown): UnsupportedPageError {
  try {
    parse();
  } catch (error) {
    if (error instanceof UnsupportedPageError) return error;
    throw error;
  }
  throw new Error('expected an UnsupportedPageError');
}

describe('dividend pages (proventos) are recognised and refused as not supported yet', () => {
  it('detects proventos.php and fii_proventos.php before the listing their table id suggests', () => {
    expect(detectFormat(STOCK)).toBe('fundamentus-proventos');
    expect(detectFormat(FII)).toBe('fundamentus-proventos');
  });

  it('refuses a stock dividend page with a typed, non-retryable error naming page and ticker', () => {
    const error = thrown(() => parseContent(STOCK));
    expect(error).toMatchObject({ code: 'UNSUPPORTED_PAGE', retryable: false, page: 'proventos.php', ticker: 'WEGE3' });
    expect(error.message).toMatch(/^proventos\.php WEGE3 is a Fundamentus dividend page \(dividends and JCP\)/);
    expect(error.message).toMatch(/not supported yet, a later version will parse it/);
    expect(error.message).not.toMatch(/layout changed|Papel/);
  });

  it('refuses a FII distributions page as fii_proventos.php', () => {
    const error = thrown(() => parseContent(FII));
    expect(error).toMatchObject({ page: 'fii_proventos.php', ticker: 'HGLG11' });
    expect(error.message).toMatch(/FII distributions/);
  });

  it('gives the same error when the page is handed to the listing or the detail parser', () => {
    expect(thrown(() => parseListingPage(STOCK))).toMatchObject({ page: 'proventos.php', ticker: 'WEGE3' });
    expect(thrown(() => parseDetailPage(FII))).toMatchObject({ page: 'fii_proventos.php', ticker: 'HGLG11' });
  });

  it('recognises a saved copy without the body class by its "Proventos" heading', () => {
    const html =
      '<html><head><title>FUNDAMENTUS - Invista consciente</title></head><body>' +
      '<a href="proventos.php?papel=ITUB4&tipo=2">Proventos</a><h1>Proventos:</h1>' +
      '<table id="resultado"><thead><tr><th>Data</th><th>Valor</th></tr></thead></table></body></html>';
    expect(recognizeProventosPage(html)).toEqual({ page: 'proventos.php', ticker: 'ITUB4' });
  });

  it('leaves detail pages alone although their menu links to proventos.php', () => {
    const detail = readFileSync(resolve(FIXTURES, 'detalhes_PETR4.html'), 'latin1');
    expect(recognizeProventosPage(`${detail}<a href="proventos.php?papel=PETR4">Proventos</a>`)).toBeUndefined();
  });
});
