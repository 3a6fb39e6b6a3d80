import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseContent, detectFormat } from '../detect';
import { parseDetailPage } from './detail-parser';
import { parseListingPage } from './listing-parser';
import { DividendPageError, recognizeProventosPage } from './proventos';

const FIXTURES = resolve(__dirname, '../../../../../tools/fixtures/fundamentus');
const STOCK = readFileSync(resolve(FIXTURES, 'proventos_WEGE3.html'));
const FII = readFileSync(resolve(FIXTURES, 'fii_proventos_HGLG11.html'));

function thrown(parse: () => unknown): DividendPageError {
  try {
    parse();
  } catch (error) {
    if (error instanceof DividendPageError) return error;
    throw error;
  }
  throw new Error('expected a DividendPageError');
}

describe('dividend pages (proventos) are told apart from the listing and detail pages', () => {
  it('detects proventos.php and fii_proventos.php before the listing their table id suggests', () => {
    expect(detectFormat(STOCK)).toBe('fundamentus-proventos');
    expect(detectFormat(FII)).toBe('fundamentus-proventos');
  });

  it('parseContent parses both pages with the dividend parser', () => {
    expect(parseContent(STOCK)).toMatchObject({ format: 'fundamentus-proventos', result: { kind: 'acao' } });
    expect(parseContent(FII)).toMatchObject({ format: 'fundamentus-proventos', result: { kind: 'fii' } });
  });

  it('the listing parser refuses a dividend page with a typed error naming page, ticker and the parser to use', () => {
    const error = thrown(() => parseListingPage(STOCK));
    expect(error).toMatchObject({ code: 'DIVIDEND_PAGE', retryable: false, page: 'proventos.php', ticker: 'WEGE3' });
    expect(error.message).toBe(
      'proventos.php WEGE3 is a Fundamentus dividend page (dividends and JCP), not a detail or listing page: ' +
        'read it with parseProventosPage, or parseContent, which tells pages apart.',
    );
    expect(error.message).not.toMatch(/layout changed|Papel/);
  });

  it('the detail parser refuses a FII distributions page the same way', () => {
    const error = thrown(() => parseDetailPage(FII));
    expect(error).toMatchObject({ page: 'fii_proventos.php', ticker: 'HGLG11' });
    expect(error.message).toMatch(/FII distributions/);
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
