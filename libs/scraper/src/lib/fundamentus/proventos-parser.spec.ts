import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  AmbiguousTickerError,
  LayoutChangedError,
  TickerNotFoundError,
  ValueFormatError,
  type ScraperError,
} from '../errors';
import { cp1252, notFoundPage, selectTickerPage } from '../../test-support/pages';
import { parseProventosPage } from './proventos-parser';

const FIXTURES = resolve(__dirname, '../../../../../tools/fixtures/fundamentus');
const STOCK = readFileSync(resolve(FIXTURES, 'proventos_WEGE3.html'));
const FII = readFileSync(resolve(FIXTURES, 'fii_proventos_HGLG11.html'));
/** The fixtures as text (they are Windows-1252, like the site's pages). */
const stockHtml = STOCK.toString('latin1');
const fiiHtml = FII.toString('latin1');

function thrown<E extends ScraperError>(parse: () => unknown, type: new (...args: never[]) => E): E {
  try {
    parse();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}`);
}

describe('parseProventosPage: a stock dividend page (proventos.php)', () => {
  const page = parseProventosPage(STOCK);

  it('tells the page kind and its ticker from the page itself', () => {
    expect(page).toMatchObject({ kind: 'acao', page: 'proventos.php', ticker: 'WEGE3' });
    expect(page.headers).toEqual(['Data', 'Valor', 'Tipo', 'Data de Pagamento', 'Por quantas ações']);
    expect(page.unknownHeaders).toEqual([]);
  });

  it('reads every row in page order with ISO dates, Brazilian numbers and the Tipo as printed', () => {
    expect(page.distributions).toHaveLength(12);
    expect(page.distributions[0]).toEqual({
      dataCom: '2026-03-20',
      valor: 0.12,
      tipo: 'JRS CAP PRÓPRIO',
      categoria: 'jcp',
      dataPagamento: '2026-08-15',
      porQuantasAcoes: 1,
    });
    expect(page.distributions.map((d) => d.dataCom)).toEqual([
      '2026-03-20',
      '2025-12-19',
      '2025-12-19',
      '2025-12-19',
      '2025-09-19',
      '2015-04-30',
      '2015-03-31',
      '2015-02-10',
      '2015-02-10',
      '2009-12-14',
      '2004-09-30',
      '1997-07-30',
    ]);
  });

  it('keeps several distributions on one date as several rows, identical values included', () => {
    const december = page.distributions.filter((d) => d.dataCom === '2025-12-19');
    expect(december.map((d) => [d.tipo, d.valor, d.dataPagamento])).toEqual([
      ['DIVIDENDO', 0.35, '2026-03-11'],
      ['DIVIDENDO', 0.35, '2026-08-12'],
      ['JRS CAP PROPRIO', 0.145, '2026-03-11'],
    ]);
  });

  it('reads a "-" payment date as null', () => {
    expect(page.distributions.filter((d) => d.dataPagamento === null)).toHaveLength(7);
    expect(page.distributions[5]).toMatchObject({ tipo: 'Dividendo mensal', dataPagamento: null });
  });

  it('keeps the 1000-share base of old rows and the value as printed for it', () => {
    expect(page.distributions.slice(-2)).toEqual([
      expect.objectContaining({ tipo: 'JRS CAP PRÓPRIO', valor: 0.17, porQuantasAcoes: 1000 }),
      expect.objectContaining({ tipo: 'DIVIDENDO', valor: 10, porQuantasAcoes: 1000 }),
    ]);
  });

  it('gives one categoria per kind whatever the spelling, and no unknown Tipo', () => {
    const byTipo = Object.fromEntries(page.distributions.map((d) => [d.tipo, d.categoria]));
    expect(byTipo).toEqual({
      'JRS CAP PRÓPRIO': 'jcp',
      'JRS CAP PROPRIO': 'jcp',
      DIVIDENDO: 'dividendo',
      Dividendo: 'dividendo',
      'DIVIDENDO MENSAL': 'dividendo',
      'Dividendo mensal': 'dividendo',
      JUROS: 'juros',
      Juros: 'juros',
    });
    expect(page.unknownTipos).toEqual([]);
    expect(page.warnings).toBeUndefined();
  });

  it('returns the yearly totals table (Ano, Valor) apart, never as distributions', () => {
    expect(page.yearlyTotals).toEqual([
      { ano: 2026, valor: 0.12 },
      { ano: 2025, valor: 0.955 },
      { ano: 2015, valor: 0.874 },
    ]);
    expect(page.distributions.some((d) => d.dataCom.startsWith('2026') && d.valor === 0.12)).toBe(true);
    expect(page.distributions).toHaveLength(12);
  });

  it('finds the yearly totals by their headers, wherever the table is', () => {
    const [before, yearly] = stockHtml.split('<div id="tabela-anual"');
    const moved = parseProventosPage(`<div id="tabela-anual"${yearly.split('</table>')[0]}</table></div>${before}`);
    expect(moved.yearlyTotals).toEqual(page.yearlyTotals);
    expect(moved.distributions).toEqual(page.distributions);
  });

  it('keeps a minus sign', () => {
    const negative = parseProventosPage(stockHtml.replace('<td>0,1200</td>', '<td>-0,1200</td>'));
    expect(negative.distributions[0].valor).toBe(-0.12);
  });

  it('reads the page from bytes, from a Windows-1252 string and from a UTF-8 copy alike', () => {
    const utf8 = new TextEncoder().encode(stockHtml);
    expect(parseProventosPage(stockHtml)).toEqual(page);
    expect(parseProventosPage(utf8)).toEqual(page);
  });
});

describe('parseProventosPage: a FII distributions page (fii_proventos.php)', () => {
  const page = parseProventosPage(FII);

  it('tells a FII page by its "Última Data Com" header and maps its own column order', () => {
    expect(page).toMatchObject({ kind: 'fii', page: 'fii_proventos.php', ticker: 'HGLG11', yearlyTotals: [] });
    expect(page.headers).toEqual(['Última Data Com', 'Tipo', 'Data de Pagamento', 'Valor']);
  });

  it('reads every row as published, with a share base of 1', () => {
    expect(page.distributions).toEqual([
      {
        dataCom: '2026-06-30',
        valor: 1.1,
        tipo: 'Rendimento',
        categoria: 'rendimento',
        dataPagamento: null,
        porQuantasAcoes: 1,
      },
      {
        dataCom: '2026-05-29',
        valor: 1.1,
        tipo: 'Rendimento',
        categoria: 'rendimento',
        dataPagamento: '2026-06-15',
        porQuantasAcoes: 1,
      },
      {
        dataCom: '2026-04-30',
        valor: 1.05,
        tipo: 'Rendimento',
        categoria: 'rendimento',
        dataPagamento: '2026-05-15',
        porQuantasAcoes: 1,
      },
      {
        dataCom: '2026-04-30',
        valor: 0.25,
        tipo: 'Rendimento',
        categoria: 'rendimento',
        dataPagamento: '2026-05-15',
        porQuantasAcoes: 1,
      },
      {
        dataCom: '2026-03-31',
        valor: 1,
        tipo: 'Rendimento',
        categoria: 'rendimento',
        dataPagamento: '2026-04-15',
        porQuantasAcoes: 1,
      },
    ]);
  });

  it('finds the columns by header text, not position', () => {
    const swap = (html: string) =>
      html
        .replace(/<tr class="(par)?">\s*(<td>[^<]*<\/td>)\s*(<td>[^<]*<\/td>)/g, '<tr class="$1">$3$2')
        .replace(/(<th[^>]*><a href="#">Última Data Com<\/a><\/th>)\s*(<th[^>]*><a href="#">Tipo<\/a><\/th>)/, '$2$1');
    const swapped = parseProventosPage(swap(fiiHtml));
    expect(swapped.headers.slice(0, 2)).toEqual(['Tipo', 'Última Data Com']);
    expect(swapped.distributions).toEqual(page.distributions);
  });
});

describe('parseProventosPage: what it reports and refuses', () => {
  it('maps an unknown Tipo to "outro" and reports it, once per distinct text, with its row count', () => {
    const page = parseProventosPage(
      fiiHtml
        .replace('<td>Rendimento</td>', '<td>Bonificação</td>')
        .replace('<td>Rendimento</td>', '<td>Bonificação</td>'),
    );
    expect(page.distributions.slice(0, 2).map((d) => d.categoria)).toEqual(['outro', 'outro']);
    expect(page.unknownTipos).toEqual(['Bonificação']);
    expect(page.warnings).toEqual([
      'tipo: "Bonificação" (2 rows) is not a known kind of distribution, categoria "outro"',
    ]);
  });

  it('warns about a Tipo damaged by a wrong decoding and still categorises it when only one kind fits', () => {
    const page = parseProventosPage(stockHtml.replace('JRS CAP PR\xd3PRIO', 'JRS CAP PR\ufffdPRIO'));
    expect(page.distributions[0]).toMatchObject({ tipo: 'JRS CAP PR\ufffdPRIO', categoria: 'jcp' });
    expect(page.warnings).toEqual([expect.stringMatching(/^tipo: 1 row contains U\+FFFD .*JRS CAP PR\ufffdPRIO/)]);
  });

  it("keeps the cells of an unknown column in each row's extra, and names the header", () => {
    const html = fiiHtml
      .replace(/(<th[^>]*><a href="#">Valor<\/a><\/th>)/, '$1<th>Observação</th>')
      .replace(/(<td>\d+,\d+<\/td>)/g, '$1<td>obs</td>');
    const page = parseProventosPage(html);
    expect(page.unknownHeaders).toEqual(['Observação']);
    expect(page.distributions[0].extra).toEqual({ Observação: 'obs' });
    expect(page.distributions[0].valor).toBe(1.1);
  });

  it('throws LayoutChangedError naming the missing required header', () => {
    const error = thrown(
      () => parseProventosPage(stockHtml.replace('>Por quantas ações<', '>Base<')),
      LayoutChangedError,
    );
    expect(error.missing).toEqual(['Por quantas ações']);
    expect(error.message).toBe(
      'proventos.php WEGE3: layout changed, missing required labels: Por quantas ações (distributions table).',
    );
  });

  it('throws LayoutChangedError naming every header when no table has the distribution headers', () => {
    const html = stockHtml.replace(/<table id="resultado"[\s\S]*?<\/table>/, '<p>em manutenção</p>');
    const error = thrown(() => parseProventosPage(html), LayoutChangedError);
    expect(error.missing).toEqual(['Data', 'Valor', 'Tipo', 'Data de Pagamento', 'Por quantas ações']);
    expect(error.message).toMatch(/no distributions table found/);
  });

  it('throws LayoutChangedError for a row whose cells do not match the headers', () => {
    const html = fiiHtml.replace(/<td>1,00<\/td>/, '');
    expect(() => parseProventosPage(html)).toThrow(/distributions row 5 has 3 cells for 4 headers/);
  });

  it('throws ValueFormatError, naming row and column, for a date or value its column cannot hold', () => {
    const error = thrown(
      () => parseProventosPage(fiiHtml.replace('<td>1,05</td>', '<td>1,05%</td>')),
      ValueFormatError,
    );
    expect(error.field).toBe('valor (row 3 of fii_proventos.php HGLG11)');
    expect(() => parseProventosPage(stockHtml.replace('<td>19/09/2025</td>', '<td>-</td>'))).toThrow(
      'Field "dataCom (row 5 of proventos.php WEGE3)": cannot read "-" as a date (required in every row).',
    );
    expect(() => parseProventosPage(stockHtml.replace(/<td>1000<\/td>/, '<td>0</td>'))).toThrow(ValueFormatError);
  });

  it('throws TickerNotFoundError for "Nenhum papel encontrado" , AmbiguousTickerError for "Selecione o Papel"', () => {
    expect(
      thrown(() => parseProventosPage(notFoundPage('ABCD3'), { ticker: 'ABCD3' }), TickerNotFoundError),
    ).toMatchObject({ ticker: 'ABCD3' });
    expect(() => parseProventosPage(readFileSync(resolve(FIXTURES, 'detalhes_XXXX99.html')))).toThrow(
      TickerNotFoundError,
    );
    const ambiguous = selectTickerPage([
      ['AURA32', 'AURA', 'AURA MINERALS'],
      ['AURA33', 'AURA', 'AURA MINERALS'],
    ]);
    expect(thrown(() => parseProventosPage(cp1252(ambiguous)), AmbiguousTickerError).candidates).toHaveLength(2);
  });

  it('gives no distributions for a page that says "Nenhum provento encontrado"', () => {
    const html = stockHtml.replace(/<label>[\s\S]*<\/table>\s*<\/div>/, 'Nenhum provento encontrado');
    expect(parseProventosPage(html)).toEqual({
      kind: 'acao',
      page: 'proventos.php',
      ticker: 'WEGE3',
      headers: [],
      unknownHeaders: [],
      distributions: [],
      yearlyTotals: [],
      unknownTipos: [],
    });
  });

  it('checks the page is for the requested ticker', () => {
    expect(parseProventosPage(FII, { ticker: 'HGLG11' }).ticker).toBe('HGLG11');
    expect(() => parseProventosPage(FII, { ticker: 'MXRF11' })).toThrow(
      'fii_proventos.php HGLG11: layout changed, the page is for HGLG11, not MXRF11.',
    );
  });
});
