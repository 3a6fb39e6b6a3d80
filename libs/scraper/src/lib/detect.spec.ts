import { gzipSync } from 'node:zlib';
import { companyPage, cp1252, listingPage } from '../test-support/pages';
import { NotAPortfolioError, UnknownFormatError } from './errors';
import { detectFormat, parseContent } from './detect';

describe('detectFormat / parseContent', () => {
  it('recognises a detail page', () => {
    const parsed = parseContent(companyPage());
    expect(parsed.format).toBe('fundamentus-detail');
  });
  it('recognises a listing page by its table id', () => {
    expect(detectFormat(listingPage('fiis', ['Papel', 'Cotação'], []))).toBe('fundamentus-listing');
    expect(
      parseContent(listingPage('acoes', ['Papel', 'Cotação'], [{ ticker: 'PETR4', name: 'P', cells: ['1,00'] }]))
        .format,
    ).toBe('fundamentus-listing');
  });
  it('recognises B3 JSON and CSV', () => {
    const json = JSON.stringify({
      header: { part: '100,000', date: '08/12/22', reductor: '1,0', theoricalQty: '1' },
      results: [],
    });
    expect(parseContent(json).format).toBe('b3-portfolio-json');
    expect(parseContent('IBOV - Carteira do Dia 16/03/26\nCódigo;Ação;Tipo;Qtde. Teórica;Part. (%)\n').format).toBe(
      'b3-portfolio-csv',
    );
  });
  it('rejects anything else with a hint of what is expected', () => {
    expect(() => detectFormat('hello')).toThrow(UnknownFormatError);
  });
  it('says when the content is empty', () => {
    expect(() => parseContent(new Uint8Array())).toThrow(/The content is empty/);
    expect(() => parseContent(' \n')).toThrow(UnknownFormatError);
  });
  it('looks through gzip: an archived .html.gz page parses as the page itself', () => {
    const page = cp1252(companyPage());
    expect(detectFormat(gzipSync(page))).toBe('fundamentus-detail');
    expect(parseContent(gzipSync(page))).toEqual(parseContent(page));
  });
  it('refuses B3 JSON that is not a portfolio with NOT_A_PORTFOLIO', () => {
    const stockIndex = JSON.stringify({
      header: { update: '2025-04-07', startMonth: 1, endMonth: 4, year: 2025 },
      results: [{ company: 'WEG', spotlight: 'ON   NM', code: 'WEGE3', indexes: 'IBOV,IBRA' }],
    });
    expect(() => parseContent(stockIndex)).toThrow(NotAPortfolioError);
  });
});
