import { companyPage, listingPage } from '../test-support/pages';
import { UnknownFormatError } from './errors';
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
});
