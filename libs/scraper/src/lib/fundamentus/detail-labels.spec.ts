import { LayoutChangedError } from '../errors';
import {
  companyPage,
  expectKind,
  fiiPage,
  renderPage,
  renderRow,
  renderTable,
  type Pair,
} from '../../test-support/pages';
import { parseDetailPage } from './detail-parser';

/** The page with one more row of pairs at the top of its first data table, before Papel / FII. */
function withFirstRow(html: string, ...pairs: Pair[]): string {
  return html.replace('<table class="w728">', `<table class="w728">${renderRow(pairs)}`);
}

describe('parseDetailPage — the kind comes from the labels present', () => {
  it('parses around an unknown label inserted before Papel and lists it in unknownLabels', () => {
    const page = expectKind(parseDetailPage(withFirstRow(companyPage(), ['Indicador Novo', '1,23'])), 'acao');
    const original = expectKind(parseDetailPage(companyPage()), 'acao');
    expect(page).toMatchObject({ ticker: 'PETR4', kind: 'acao', layout: 'company', unknownLabels: ['Indicador Novo'] });
    expect(page.raw['Indicador Novo']).toBe('1,23');
    expect(page.values).toEqual(original.values);
  });

  it('keeps a FII a FII when an unknown label comes before the FII label', () => {
    const page = expectKind(parseDetailPage(withFirstRow(fiiPage(), ['Indicador Novo', '7'])), 'fii');
    expect(page).toMatchObject({ ticker: 'HGLG11', layout: 'fii', unknownLabels: ['Indicador Novo'] });
    expect(page.values.vlr_ffo_yield).toBe(0.0647);
  });

  it('parses around unknown labels in the middle and at the end of a page', () => {
    // A row after the first one (Papel, Cotação), and a pair at the end of the balance table.
    const html = companyPage({ extra: [['Outro Indicador', '2,00']] }).replace(
      '</tr>',
      `</tr>${renderRow([['Rótulo Novo', 'x']])}`,
    );
    const page = parseDetailPage(html);
    expect(page.unknownLabels).toEqual(['Rótulo Novo', 'Outro Indicador']);
    expect(page.ticker).toBe('PETR4');
  });

  it('does not take a ticker ending in 11 with a new first label for a FII (TAEE11 stays a company)', () => {
    const page = parseDetailPage(withFirstRow(companyPage({ ticker: 'TAEE11' }), ['Indicador Novo', '1']));
    expect(page).toMatchObject({ ticker: 'TAEE11', kind: 'acao', layout: 'company' });
  });

  it('calls a FII page whose FII label was renamed a FII with a missing FII label, not a broken stock page', () => {
    const html = fiiPage().replace('<span class="txt">FII</span>', '<span class="txt">Fundo</span>');
    expect(() => parseDetailPage(html)).toThrow(/missing required labels: FII\b/);
  });

  it('refuses a page whose labels belong to neither a stock nor a FII page', () => {
    const html = renderPage([
      renderTable([
        [
          ['Cotação', '2,00'],
          ['Indicador Novo', '1'],
        ],
      ]),
    ]);
    expect(() => parseDetailPage(html)).toThrow(LayoutChangedError);
    expect(() => parseDetailPage(html)).toThrow(/no label of a stock or FII page/);
  });
});

describe('parseDetailPage — damaged text (U+FFFD)', () => {
  it('warns once per damaged value, naming its column and label', () => {
    const page = parseDetailPage(
      companyPage({ override: { Empresa: 'PETROBR\ufffdS PN', Subsetor: 'Explora\ufffd\ufffdo e Refino' } }),
    );
    expect(page.warnings).toEqual([
      expect.stringMatching(/^nome_empresa \("Empresa"\): "PETROBR\ufffdS PN" contains U\+FFFD replacement char/),
      expect.stringMatching(/^nome_subsetor \("Subsetor"\): "Explora\ufffd\ufffdo e Refino" contains U\+FFFD/),
    ]);
  });

  it('names an unknown label whose value is damaged', () => {
    const page = parseDetailPage(companyPage({ extra: [['Gestão Nova', 'S\ufffdo Paulo']] }));
    expect(page.warnings).toEqual([expect.stringMatching(/^"Gestão Nova" \(unknown label\): "S\ufffdo Paulo"/)]);
  });

  it('has no warnings key on a clean page, so its JSON keeps the documented shape', () => {
    const page = parseDetailPage(companyPage());
    expect('warnings' in page).toBe(false);
    expect(Object.keys(JSON.parse(JSON.stringify(page))).sort()).toEqual([
      'kind',
      'layout',
      'raw',
      'ticker',
      'unknownLabels',
      'values',
    ]);
  });

  it('puts the warnings in the JSON of a damaged page', () => {
    const page = parseDetailPage(fiiPage({ override: { Nome: 'P\ufffdTRIA LOG FII' } }));
    expect(JSON.parse(JSON.stringify(page)).warnings).toEqual([expect.stringContaining('nome_fii ("Nome")')]);
  });
});
