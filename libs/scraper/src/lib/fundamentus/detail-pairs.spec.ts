import { LayoutChangedError } from '../errors';
import { readDetailPairs } from './detail-pairs';

const label = (text: string) =>
  `<td class="label w2"><span class="help tips" title="x">?</span><span class="txt">${text}</span></td>`;
const data = (text: string) => `<td class="data w3"><span class="txt">${text}</span></td>`;
const page = (rows: string) => `<html><body><table class="w728">${rows}</table></body></html>`;

describe('readDetailPairs', () => {
  it('pairs each label with the data cell right after it, leaving out the "?" tooltip', () => {
    const html = page(`<tr>${label('Papel')}${data('PETR4')}${label('Cotação')}${data('31,60')}</tr>`);
    expect(readDetailPairs(html)).toEqual([
      { label: 'Papel', value: 'PETR4' },
      { label: 'Cotação', value: '31,60' },
    ]);
  });

  it('takes the data cell’s whole text, nested markup and entities included, whitespace collapsed', () => {
    const html = page(
      `<tr>${label('Dia')}<td class="data"><span class="oscil">` +
        `<font color="#F75D59">\n -2,91&#37;\n</font></span></td></tr>`,
    );
    expect(readDetailPairs(html)).toEqual([{ label: 'Dia', value: '-2,91%' }]);
  });

  it('reads cells whose closing tags the page leaves out, as a browser would', () => {
    const html = page(
      `<tr><td class="label"><span class="txt">Papel</span><td class="data">VALE3` +
        `<tr>${label('Setor')}${data('Mineração')}`,
    );
    expect(readDetailPairs(html)).toEqual([
      { label: 'Papel', value: 'VALE3' },
      { label: 'Setor', value: 'Mineração' },
    ]);
  });

  it('uses the whole label cell when it has no span.txt', () => {
    expect(readDetailPairs(page(`<tr><td class="label">Data últ cot</td>${data('24/05/2022')}</tr>`))).toEqual([
      { label: 'Data últ cot', value: '24/05/2022' },
    ]);
  });

  it('ignores cells outside the data tables and empty filler pairs', () => {
    const html =
      `<table class="menu"><tr>${label('Menu')}${data('x')}</tr></table>` +
      page(`<tr>${label('Papel')}${data('ITUB4')}<td class="label"></td><td class="data"></td></tr>`);
    expect(readDetailPairs(html)).toEqual([{ label: 'Papel', value: 'ITUB4' }]);
  });

  it('refuses a label whose next cell is not a data cell, naming the label', () => {
    const html = page(`<tr>${label('Papel')}${label('Cotação')}${data('1')}</tr>`);
    expect(() => readDetailPairs(html, 'PETR4')).toThrow(LayoutChangedError);
    expect(() => readDetailPairs(html, 'PETR4')).toThrow('label "Papel" is not followed by a data cell');
  });

  it('refuses a label that ends its row', () => {
    expect(() => readDetailPairs(page(`<tr>${data('x')}${label('Cotação')}</tr>`))).toThrow(
      'label "Cotação" is not followed by a data cell',
    );
  });

  it('finds nothing in a page without data tables', () => {
    expect(readDetailPairs('<html><body><h1>Nenhum papel encontrado</h1></body></html>')).toEqual([]);
  });
});
