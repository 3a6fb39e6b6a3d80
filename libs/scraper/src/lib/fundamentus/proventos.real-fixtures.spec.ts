/**
 * The dividend parser over the dividend pages recorded from fundamentus.com.br
 * (shared/fixtures/real/fundamentus/proventos_*, provenance in its SOURCES.md): every row must
 * equal a reading of the table written here with string splits and regular expressions, with
 * none of the parser's code. Skipped, with a visible message, where that folder is absent.
 */
import { gzipSync } from 'node:zlib';
import { parseContent } from '../detect';
import { TickerNotFoundError } from '../errors';
import { listFiles, read, realFixturesDir } from '../../test-support/real-fixtures';
import { parseListingPage } from './listing-parser';
import { DividendPageError } from './proventos';
import { parseProventosPage, type Provento, type ProventoYearlyTotal } from './proventos-parser';

const root = realFixturesDir();
const fundamentus = root && `${root}/fundamentus`;

if (!root) {
  process.stderr.write(
    '\n[scraper] real dividend-page suite SKIPPED: ../shared/fixtures/real not found ' +
      '(set B3LAKE_REAL_FIXTURES to run it)\n\n',
  );
}
const describeReal = root ? describe : describe.skip;

/** The categoria of every Tipo spelling the recorded pages print, written out by hand. */
const CATEGORIA: Record<string, string> = {
  DIVIDENDO: 'dividendo',
  Dividendo: 'dividendo',
  'DIVIDENDO MENSAL': 'dividendo',
  'Dividendo mensal': 'dividendo',
  'JRS CAP PRÓPRIO': 'jcp',
  'JRS CAP PROPRIO': 'jcp',
  JUROS: 'juros',
  Juros: 'juros',
  Rendimento: 'rendimento',
};

interface Reading {
  distributions: Provento[];
  yearlyTotals: ProventoYearlyTotal[];
}

/** `30/06/2026` → `2026-06-30`; `-` → null. */
const isoDate = (text: string) => (text === '-' ? null : text.split('/').reverse().join('-'));
/** `1.234,5600` → 1234.56. */
const brNumber = (text: string) => Number(text.split('.').join('').replace(',', '.'));

/**
 * Reads the page's tables with splits: the page is Latin-1 text, every `<table>` has its
 * headers in `<th><a href="#">…</a></th>` and one value per `<td>…</td>`.
 */
function independentReading(bytes: Buffer): Reading {
  const tables = bytes
    .toString('latin1')
    .split(/<table\b/)
    .slice(1)
    .map((chunk) => chunk.split('</table>')[0]);
  const reading: Reading = { distributions: [], yearlyTotals: [] };
  for (const table of tables) {
    const headers = [...table.matchAll(/<th[^>]*>\s*<a href="#">([^<]*)<\/a>\s*<\/th>/g)].map((m) => m[1]);
    const rows = table
      .split(/<tr\b[^>]*>/)
      .slice(1)
      .map((row) => [...row.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1].trim()))
      .filter((cells) => cells.length > 0);
    const cell = (cells: string[], header: string) => cells[headers.indexOf(header)];
    if (headers.join('|') === 'Ano|Valor') {
      reading.yearlyTotals = rows.map((cells) => ({ ano: Number(cells[0]), valor: brNumber(cells[1]) }));
    } else if (headers.includes('Valor')) {
      const fii = headers.includes('Última Data Com');
      reading.distributions = rows.map((cells) => ({
        dataCom: isoDate(cell(cells, fii ? 'Última Data Com' : 'Data')) as string,
        valor: brNumber(cell(cells, 'Valor')),
        tipo: cell(cells, 'Tipo'),
        categoria: CATEGORIA[cell(cells, 'Tipo')] as Provento['categoria'],
        dataPagamento: isoDate(cell(cells, 'Data de Pagamento')),
        porQuantasAcoes: fii ? 1 : Number(cell(cells, 'Por quantas ações')),
      }));
    }
  }
  return reading;
}

describeReal('real Fundamentus dividend pages (proventos), row by row', () => {
  const pages = [
    // file, kind, ticker, distributions, yearly totals, rows with a 1000-share base
    ['proventos_ITUB4_pedrorigon.html', 'acao', 'ITUB4', 475, 17, 129],
    ['proventos_WEGE3_pedrorigon.html', 'acao', 'WEGE3', 159, 17, 5],
    ['proventos_HGLG11_pedrorigon.html', 'fii', 'HGLG11', 112, 0, 0],
  ] as const;

  it('finds the recorded pages', () => {
    expect(listFiles(fundamentus!, /^proventos_.*\.html$/)).toEqual(pages.map(([file]) => file).sort());
  });

  it.each(pages)('%s: every row equals the independent reading', (file, kind, ticker, count, years, thousands) => {
    const bytes = read(fundamentus!, file);
    const page = parseProventosPage(bytes, { ticker });
    const expected = independentReading(bytes);
    expect(page).toMatchObject({ kind, ticker, unknownHeaders: [], unknownTipos: [] });
    expect(page.warnings).toBeUndefined();
    expect(expected.distributions).toHaveLength(count);
    expect(page.distributions).toEqual(expected.distributions);
    expect(page.yearlyTotals).toEqual(expected.yearlyTotals);
    expect(page.yearlyTotals).toHaveLength(years);
    expect(page.distributions.filter((d) => d.porQuantasAcoes === 1000)).toHaveLength(thousands);
    expect(page.distributions.filter((d) => d.porQuantasAcoes !== 1000 && d.porQuantasAcoes !== 1)).toEqual([]);
  });

  it('keeps the yearly totals apart: each is the sum of its year’s distributions per share, to 3 decimals', () => {
    for (const [file] of pages.slice(0, 2)) {
      const page = parseProventosPage(read(fundamentus!, file));
      for (const { ano, valor } of page.yearlyTotals) {
        const sum = page.distributions
          .filter((d) => d.dataCom.startsWith(`${ano}-`))
          .reduce((total, d) => total + d.valor / d.porQuantasAcoes, 0);
        expect(Math.abs(sum - valor)).toBeLessThan(0.001);
      }
      expect(page.distributions.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d.dataCom))).toBe(true);
    }
  });

  it('keeps several distributions on one date as several rows (ITUB4: 20 such dates), in page order', () => {
    const page = parseProventosPage(read(fundamentus!, 'proventos_ITUB4_pedrorigon.html'));
    const perDate = new Map<string, number>();
    for (const d of page.distributions) perDate.set(d.dataCom, (perDate.get(d.dataCom) ?? 0) + 1);
    expect([...perDate.values()].filter((n) => n > 1)).toHaveLength(20);
    const dates = page.distributions.map((d) => d.dataCom);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('gives every Tipo printed on the three pages its categoria', () => {
    const tipos = new Map<string, string>();
    for (const [file] of pages) {
      for (const d of parseProventosPage(read(fundamentus!, file)).distributions) tipos.set(d.tipo, d.categoria);
    }
    expect(Object.fromEntries([...tipos].sort())).toEqual(Object.fromEntries(Object.entries(CATEGORIA).sort()));
  });

  it.each(pages)('%s: parseContent, a gzip copy and a UTF-8 copy all read the same', (file) => {
    const bytes = read(fundamentus!, file);
    const page = parseProventosPage(bytes);
    expect(parseContent(bytes)).toEqual({ format: 'fundamentus-proventos', result: page });
    expect(parseContent(gzipSync(bytes)).result).toEqual(page);
    expect(parseProventosPage(new TextEncoder().encode(bytes.toString('latin1')))).toEqual(page);
  });

  it.each(pages)('%s: the listing parser refuses it as a dividend page of %s', (file, kind, ticker) => {
    const error = (() => {
      try {
        parseListingPage(read(fundamentus!, file));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DividendPageError);
    expect(error).toMatchObject({ page: kind === 'fii' ? 'fii_proventos.php' : 'proventos.php', ticker });
  });

  it('the recorded "Nenhum papel encontrado" page is TickerNotFoundError', () => {
    const [file] = listFiles(fundamentus!, /^detalhes_XXXX99_nenhum_papel.*\.html$/);
    expect(() => parseProventosPage(read(fundamentus!, file), { ticker: 'XXXX99' })).toThrow(TickerNotFoundError);
  });
});
