import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { cotahistFile, cotahistQuote as quote, zipOf } from '@b3lake/scraper/testing';
import { run } from '../cli';
import type { Io } from '../io';

const FIXTURES = resolve(__dirname, '../../../../tools/fixtures');
const fixture = (path: string) => join(FIXTURES, path);

/** Runs `b3lake ARGV` as main.ts does, with `stdin` as standard input. */
async function b3lake(argv: string[], stdin?: Uint8Array & { isTTY?: boolean }) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false };
  if (stdin) io.stdin = Object.assign(Readable.from([Buffer.from(stdin)]), { isTTY: stdin.isTTY });
  const code = await run(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'b3lake-parse-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file in the test's folder. */
function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const PETR4 = readFileSync(fixture('fundamentus/detalhes_PETR4.html'));
const petr4Json = async () =>
  JSON.parse((await b3lake(['parse', fixture('fundamentus/detalhes_PETR4.html'), '--json'])).out);

describe('b3lake parse - (standard input)', () => {
  it('reads the page from standard input', async () => {
    const { code, out } = await b3lake(['parse', '-', '--json'], PETR4);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(await petr4Json());
  });

  it('reads gzip from standard input too', async () => {
    const { code, out } = await b3lake(['parse', '-'], gzipSync(PETR4));
    expect(code).toBe(0);
    expect(out).toMatch(/^PETR4 — PETROBRAS PN \(acao, company layout\)/);
  });

  it('exits 1 on empty input, saying it is empty', async () => {
    const { code, err } = await b3lake(['parse', '-'], new Uint8Array());
    expect(code).toBe(1);
    expect(err).toBe('b3lake: error: The content is empty.');
  });

  it('refuses to wait on a terminal (exit 2) and shows how to pipe a file in', async () => {
    const { code, err } = await b3lake(['parse', '-'], Object.assign(new Uint8Array(), { isTTY: true }));
    expect(code).toBe(2);
    expect(err).toMatch(/reads standard input, which is a terminal: b3lake parse - < page\.html/);
  });
});

describe('b3lake parse FILE.gz (the lake archives pages as .html.gz)', () => {
  it('reads an archived .html.gz page', async () => {
    const { code, out } = await b3lake(['parse', file('PETR4.html.gz', gzipSync(PETR4)), '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(await petr4Json());
  });

  it('goes by the magic bytes, not the name: gzip named .html and plain HTML named .gz both parse', async () => {
    expect((await b3lake(['parse', file('renamed.html', gzipSync(PETR4))])).code).toBe(0);
    expect((await b3lake(['parse', file('already-inflated.html.gz', PETR4)])).code).toBe(0);
  });

  it('exits 1 with one line for a truncated archive', async () => {
    const { code, err } = await b3lake(['parse', file('truncated.html.gz', gzipSync(PETR4).subarray(0, 200))]);
    expect(code).toBe(1);
    expect(err).toBe(
      'b3lake: error: The content is gzip-compressed but does not decompress (unexpected end of file): ' +
        'truncated or corrupt.',
    );
  });
});

describe('b3lake parse — dividend pages (proventos)', () => {
  it('prints every distribution of a stock page as published, then the yearly totals apart', async () => {
    const { code, out, err } = await b3lake(['parse', fixture('fundamentus/proventos_WEGE3.html')]);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const lines = out.split('\n');
    expect(lines[0]).toBe(
      'WEGE3 — proventos.php (acao): 12 distributions (jcp 4, dividendo 6, juros 2), 3 yearly totals kept apart',
    );
    expect(lines.slice(2, 6)).toEqual([
      '  data com    tipo              categoria   valor  por ações  pagamento',
      '  2026-03-20  JRS CAP PRÓPRIO   jcp          0.12          1  2026-08-15',
      '  2025-12-19  DIVIDENDO         dividendo    0.35          1  2026-03-11',
      '  2025-12-19  DIVIDENDO         dividendo    0.35          1  2026-08-12',
    ]);
    expect(lines).toContain('  1997-07-30  DIVIDENDO         dividendo      10       1000  —');
    expect(lines.slice(-5)).toEqual([
      "yearly totals (the page's own sums per share, not distributions):",
      '  ano   valor',
      '  2026   0.12',
      '  2025  0.955',
      '  2015  0.874',
    ]);
  });

  it('--json gives the typed distributions of a FII page with its format', async () => {
    const { code, out } = await b3lake(['parse', fixture('fundamentus/fii_proventos_HGLG11.html'), '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json).toMatchObject({ format: 'fundamentus-proventos', kind: 'fii', ticker: 'HGLG11', yearlyTotals: [] });
    expect(json.distributions).toHaveLength(5);
    expect(json.distributions[0]).toEqual({
      dataCom: '2026-06-30',
      valor: 1.1,
      tipo: 'Rendimento',
      categoria: 'rendimento',
      dataPagamento: null,
      porQuantasAcoes: 1,
    });
  });

  it('warns on stderr about a Tipo it does not know, categorised "outro"', async () => {
    const page = readFileSync(fixture('fundamentus/fii_proventos_HGLG11.html'), 'latin1').replace(
      '<td>Rendimento</td>',
      '<td>Bonificação</td>',
    );
    const { code, out, err } = await b3lake(['parse', file('bonificacao.html', Buffer.from(page, 'latin1'))]);
    expect(code).toBe(0);
    expect(out).toMatch(/5 distributions \(outro 1, rendimento 4\)/);
    expect(err).toBe(
      'b3lake: warning: tipo: "Bonificação" (1 row) is not a known kind of distribution, categoria "outro"',
    );
  });
});

describe('b3lake parse — pages and files it does not read', () => {
  it.each([
    ['GetStockIndex.json', /^b3lake: error: This is B3's GetStockIndex response \(which indexes each ticker belongs/],
    ['indexStatistics_IBOV_2022.json', /^b3lake: error: This is B3's indexStatistics GetPortfolioDay response/],
  ])('says B3 %s is not a portfolio, without asking for a language (exit 1)', async (name, message) => {
    const { code, err } = await b3lake(['parse', fixture(`b3/${name}`)]);
    expect(code).toBe(1);
    expect(err).toMatch(message);
    expect(err).toMatch(/not an index portfolio\. b3lake reads the portfolio calls GetPortfolioDay and/);
    expect(err).not.toMatch(/language/);
  });

  it('exits 4 for a missing file and for a folder', async () => {
    expect(await b3lake(['parse', join(dir, 'missing.html')])).toMatchObject({ code: 4 });
    expect(await b3lake(['parse', dir])).toMatchObject({ code: 4 });
  });
});

describe('b3lake parse — damaged text (U+FFFD)', () => {
  const damaged = fixture('fundamentus/detalhes_PETR4_utf8_fffd.html');
  const SETOR =
    /^b3lake: warning: nome_setor \("Setor"\): "Petr\ufffdleo, G\ufffds e Biocombust\ufffdveis" contains U\+FFFD/;

  it('prints one warning line per damaged field on stderr and counts them in the summary', async () => {
    const { code, out, err } = await b3lake(['parse', damaged]);
    expect(code).toBe(0);
    const warnings = err.split('\n');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(SETOR);
    expect(warnings[1]).toMatch(/^b3lake: warning: nome_subsetor \("Subsetor"\): "Explora\ufffd\ufffdo, Refino/);
    expect(out).toMatch(/59 values, 7 columns empty on this page, 2 values with damaged text \(U\+FFFD\)$/);
  });

  it('adds a warnings array to the JSON of a damaged detail page, and warns on stderr too', async () => {
    const { code, out, err } = await b3lake(['parse', damaged, '--json']);
    expect(code).toBe(0);
    const page = JSON.parse(out);
    expect(Object.keys(page)).toEqual(['ticker', 'kind', 'layout', 'raw', 'values', 'unknownLabels', 'warnings']);
    expect(page.warnings).toEqual([
      expect.stringMatching(/^nome_setor \("Setor"\)/),
      expect.stringMatching(/^nome_subsetor \("Subsetor"\)/),
    ]);
    // Every other value, numbers included, is what the clean page gives.
    const withoutText = (values: object) => ({ ...values, nome_setor: null, nome_subsetor: null });
    expect(withoutText(page.values)).toEqual(withoutText((await petr4Json()).values));
    expect(err).toMatch(SETOR);
  });

  it('keeps the documented JSON keys, without warnings, for a clean page', async () => {
    expect(Object.keys(await petr4Json())).toEqual(['ticker', 'kind', 'layout', 'raw', 'values', 'unknownLabels']);
  });

  it('warns about a portfolio whose sectors are damaged, on stderr only in the human output', async () => {
    const json = readFileSync(fixture('b3/GetPortfolioDay_IBOV_pt-br.json'), 'utf8').replace(
      '"segment":null,"cod":"ITUB4"',
      '"segment":"Interm Financeiros / Bancos e Cr\ufffddito","cod":"ITUB4"',
    );
    const path = file('GetPortfolioDay_damaged.json', Buffer.from(json));
    const human = await b3lake(['parse', path]);
    expect(human.code).toBe(0);
    expect(human.err).toMatch(/^b3lake: warning: sector: 1 row contains U\+FFFD .*ITUB4 "Interm Financeiros/);
    expect(human.out).not.toMatch(/warning/);
    expect(JSON.parse((await b3lake(['parse', path, '--json'])).out).warnings).toEqual([
      expect.stringMatching(/^sector: 1 row contains U\+FFFD/),
    ]);
  });
});

describe('b3lake parse — the kind of a detail page comes from its labels', () => {
  it('parses a page with "Indicador Novo" before Papel and lists it in unknownLabels', async () => {
    const { code, out } = await b3lake(['parse', fixture('fundamentus/detalhes_PETR4_indicador_novo.html'), '--json']);
    expect(code).toBe(0);
    const page = JSON.parse(out);
    expect(page).toMatchObject({ ticker: 'PETR4', kind: 'acao', layout: 'company', unknownLabels: ['Indicador Novo'] });
    expect(page.raw['Indicador Novo']).toBe('1,23');
    expect(page.values).toEqual((await petr4Json()).values);
  });

  it('says so in the human summary', async () => {
    const { out } = await b3lake(['parse', fixture('fundamentus/detalhes_PETR4_indicador_novo.html')]);
    expect(out).toMatch(/^PETR4 — PETROBRAS PN \(acao, company layout\)/);
    expect(out).toMatch(/unknown labels kept in raw: Indicador Novo$/);
  });
});

describe('b3lake parse COTAHIST (B3 historical quotes, .TXT or .ZIP)', () => {
  const day2 = (ticker: string, market = 10) => quote({ ticker, market, date: '20210329' });
  const TEXT = cotahistFile([
    quote(),
    quote({ ticker: 'PETR4F', market: 20 }),
    quote({ ticker: 'PETRD240', market: 70, bdi: '78', expiry: '20210419' }),
    quote({ ticker: 'FNAM11', bdi: '14', factor: 1000, prices: [17, 17, 16, 16, 17, 16, 17] }),
    day2('PETR4'),
    day2('VALE3'),
  ]);
  const ZIP = zipOf([{ name: 'COTAHIST_M032021.TXT', data: TEXT, descriptor: true }]);
  const SUMMARY = [
    'COTAHIST COTAHIST.2021 from BOVESPA, generated 2021-03-26',
    'trading days: 2, 2021-03-26 to 2021-03-29',
    'quotes: 6; distinct tickers: 5',
    'quotes by market type (TPMERC):',
    '  010 VISTA                                        4',
    '  020 FRACIONÁRIO                                  1',
    '  070 OPÇÕES DE COMPRA                             1',
    'trailer: 8 records declared = 8 read (header and trailer included): complete',
  ].join('\n');

  it('summarises a .TXT: header, trading days, quotes per market type, distinct tickers, trailer check', async () => {
    const { code, out, err } = await b3lake(['parse', file('COTAHIST_M032021.TXT', Buffer.from(TEXT, 'latin1'))]);
    expect([code, err]).toEqual([0, '']);
    expect(out).toBe(SUMMARY);
  });

  it('reads the .ZIP B3 publishes, by its magic bytes, and names its entry', async () => {
    const { code, out } = await b3lake(['parse', file('COTAHIST_M032021.ZIP', ZIP)]);
    expect(code).toBe(0);
    expect(out).toBe(SUMMARY.replace('2021-03-26\n', '2021-03-26 (zip: COTAHIST_M032021.TXT)\n'));
  });

  it('prints the summary as JSON with --json, from standard input too', async () => {
    const { code, out } = await b3lake(['parse', '-', '--json'], ZIP);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      format: 'b3-cotahist',
      container: 'zip',
      entryName: 'COTAHIST_M032021.TXT',
      header: { fileName: 'COTAHIST.2021', origin: 'BOVESPA', generatedOn: '2021-03-26' },
      tradingDays: { count: 2, first: '2021-03-26', last: '2021-03-29' },
      quotes: 6,
      recordsByMarketType: { '10': 4, '20': 1, '70': 1 },
      distinctTickers: 5,
      trailer: { totalRecords: 8, recordsRead: 8, complete: true },
    });
  });

  it('exits 1 with one line for a truncated zip, a trailer counting other records, a malformed field', async () => {
    const truncated = await b3lake(['parse', file('cut.ZIP', ZIP.subarray(0, ZIP.length - 40))]);
    expect([truncated.code, truncated.err]).toEqual([
      1,
      'b3lake: error: COTAHIST zip is truncated: it ends inside its central directory.',
    ]);
    const short = TEXT.replace(/^99(.{29})00000000008/m, '99$100000000009');
    const incomplete = await b3lake(['parse', file('short.TXT', Buffer.from(short, 'latin1'))]);
    expect([incomplete.code, incomplete.err]).toEqual([
      1,
      'b3lake: error: COTAHIST trailer declares 9 records but the file has 8: it is truncated or damaged.',
    ]);
    const bad = TEXT.replace('0000000002388', '00000000023X8');
    const malformed = await b3lake(['parse', file('bad.TXT', Buffer.from(bad, 'latin1'))]);
    expect([malformed.code, malformed.err]).toEqual([
      1,
      'b3lake: error: COTAHIST line 2, field PREMAX: "00000000023X8" is not a number of 13 digits.',
    ]);
  });
});
