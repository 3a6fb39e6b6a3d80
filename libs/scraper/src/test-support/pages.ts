/**
 * Builders for our own small Fundamentus pages, in the markup the real site uses
 * (shared/design/sources.md §1.3–1.7): `td.label` with a "?" tooltip span and `span.txt`,
 * `td.data` next to it, oscillations in `span.oscil > font`, values with leading newlines.
 */
export type Pair = readonly [label: string, value: string];
export type Row = readonly Pair[];

const TOOLTIP = '<span class="help tips" title="Explicação longa com ? e acentos">?</span>';

function labelCell(label: string, cls = 'label w2'): string {
  if (label === '') return `<td class="label"></td>`;
  return `<td class="${cls}">${TOOLTIP}<span class="txt">${label}</span></td>`;
}

function dataCell(value: string, cls = 'data w3'): string {
  if (/%$/.test(value) && cls.includes('oscil')) {
    const color = value.startsWith('-') ? '#F75D59' : '#306EFF';
    return `<td class="data w1"><span class="oscil">\n<font color="${color}">${value}</font></span></td>`;
  }
  // The real site often puts a newline before the value.
  return `<td class="${cls}"><span class="txt">\n${value}</span></td>`;
}

export function renderRow(row: Row, oscillation = false): string {
  const cells = row.map(([label, value], i) =>
    oscillation && i === 0
      ? `<td class="label w1"><span class="txt">${label}</span></td>${dataCell(value, 'data w1 oscil')}`
      : labelCell(label, i % 2 ? 'label destaque w2' : 'label w2') +
        dataCell(value, i % 2 ? 'data destaque w3' : 'data w3'),
  );
  return `<tr>${cells.join('\n')}</tr>`;
}

export function renderTable(
  rows: readonly Row[],
  options: { oscillationFirst?: boolean; heading?: string } = {},
): string {
  const heading = options.heading
    ? `<tr><td class="nivel1" colspan="4"><span class="txt">${options.heading}</span></td></tr>`
    : '';
  return `<table class="w728">${heading}${rows.map((r) => renderRow(r, options.oscillationFirst)).join('\n')}</table>`;
}

const CF_BEACON =
  "<script>(function(){window['__CF$cv$params']={r:'x'};var a=document.createElement('script');" +
  "a.src='/cdn-cgi/challenge-platform/h/g/scripts/invisible.js';})();</script>";

export function renderPage(tables: string[], title = 'PETR4'): string {
  return `
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>FUNDAMENTUS - ${title} - Invista consciente - Indicadores Fundamentalistas</title></head>
<body><div class="conteudo clearfix">${tables.join('\n')}</div>
${CF_BEACON}
</body></html>`;
}

export interface CompanyOptions {
  ticker?: string;
  years?: number[];
  bank?: boolean;
  omit?: string[];
  override?: Record<string, string>;
  extra?: Pair[];
}

/** A company (or bank) page with PETR4-like values; `override` replaces values by label. */
export function companyPage(options: CompanyOptions = {}): string {
  const ticker = options.ticker ?? 'PETR4';
  const years = options.years ?? [2022, 2021, 2020, 2019, 2018, 2017];
  const v = (label: string, value: string): Pair => [label, options.override?.[label] ?? value];
  const keep = (row: Pair[]): Pair[] => row.filter(([label]) => !options.omit?.includes(label));
  const header: Pair[][] = [
    [v('Papel', ticker), v('Cotação', '31,60')],
    [v('Tipo', 'PN N1'), v('Data últ cot', '24/05/2022')],
    [v('Empresa', 'PETROBRAS PN'), v('Min 52 sem', '17,97')],
    [v('Setor', '<a href="resultado.php?setor=30">Petróleo, Gás e Biocombustíveis</a>'), v('Max 52 sem', '32,55')],
    [
      v('Subsetor', '<a href="resultado.php?segmento=52">Exploração, Refino e Distribuição</a>'),
      v('Vol $ méd (2m)', '2.573.320.000'),
    ],
  ];
  const market: Pair[][] = [
    [v('Valor de mercado', '412.206.000.000'), v('Últ balanço processado', '31/03/2022')],
    [v('Valor da firma', options.bank ? '-' : '602.056.000.000'), v('Nro. Ações', '13.044.500.000')],
  ];
  const osc = ['-2,91%', '16,07%', '15,01%', '72,14%', '34,96%', '22,76%', '-6,10%', '36,87%', '45,91%', '9,84%'];
  const oscLabels = ['Dia', 'Mês', '30 dias', '12 meses', ...years.map(String)];
  const indicators: Pair[] = [
    v('P/L', '2,75'),
    v('LPA', '11,50'),
    v('P/VP', '0,95'),
    v('VPA', '33,29'),
    v('P/EBIT', '1,87'),
    v('Marg. Bruta', '49,3%'),
    v('PSR', '0,81'),
    v('Marg. EBIT', '43,3%'),
    v('P/Ativos', '0,41'),
    v('Marg. Líquida', '29,7%'),
    v('P/Cap. Giro', '5,95'),
    v('EBIT / Ativo', '22,0%'),
    v('P/Ativ Circ Liq', '-1,14'),
    v('ROIC', '24,9%'),
    v('Div. Yield', '36,4%'),
    v('ROE', '34,6%'),
    v('EV / EBITDA', '2,06'),
    v('Liquidez Corr', '1,53'),
    v('EV / EBIT', '2,73'),
    v('Div Br/ Patrim', '0,64'),
    v('Cres. Rec (5a)', '9,4%'),
    v('Giro Ativos', '0,51'),
  ];
  // 10 oscillation rows carry 20 indicators; the 11th row starts with an empty filler pair, as on the site.
  const oscRows: Pair[][] = Array.from({ length: Math.ceil(indicators.length / 2) }, (_, i) =>
    keep([i < oscLabels.length ? v(oscLabels[i], osc[i] ?? '0,00%') : ['', ''], ...indicators.slice(i * 2, i * 2 + 2)]),
  );
  const balance: Pair[][] = options.bank
    ? [
        [v('Ativo', '2.143.000.000.000'), v('Depósitos', '933.000.000.000')],
        [v('Cart. de Crédito', '911.000.000.000'), v('Patrim. Líq', '154.000.000.000')],
      ]
    : [
        [v('Ativo', '998.662.000.000'), v('Dív. Bruta', '277.418.000.000')],
        [v('Disponibilidades', '87.568.000.000'), v('Dív. Líquida', '189.850.000.000')],
        [v('Ativo Circulante', '199.512.000.000'), v('Patrim. Líq', '434.194.000.000')],
      ];
  const income: Pair[][] = options.bank
    ? [
        [v('Result Int Financ', '103.000.000.000'), ['Result Int Financ', '27.000.000.000']],
        [v('Rec Serviços', '40.000.000.000'), ['Rec Serviços', '10.000.000.000']],
        [v('Lucro Líquido', '27.000.000.000'), ['Lucro Líquido', '7.000.000.000']],
      ]
    : [
        [v('Receita Líquida', '508.135.000.000'), ['Receita Líquida', '141.641.000.000']],
        [v('EBIT', '220.200.000.000'), ['EBIT', '67.048.000.000']],
        [v('Lucro Líquido', '150.062.000.000'), ['Lucro Líquido', '44.561.000.000']],
      ];
  const rows = (list: Pair[][]) => list.map(keep);
  return renderPage(
    [
      renderTable(rows(header)),
      renderTable(rows(market)),
      renderTable(oscRows, { oscillationFirst: true, heading: 'Oscilações' }),
      renderTable([...rows(balance), ...(options.extra ? [options.extra] : [])], {
        heading: 'Dados Balanço Patrimonial',
      }),
      renderTable(rows(income), { heading: 'Dados demonstrativos de resultados' }),
    ],
    ticker,
  );
}

const REPORT_LINK = '<a href="https://fnet.example/doc?id=1"><img src="img/download.svg" alt="Download Relatório"></a>';

/** A FII page with HGLG11-like values (table 3 holds oscillations, indicators, results and balance). */
export function fiiPage(options: { ticker?: string; override?: Record<string, string> } = {}): string {
  const ticker = options.ticker ?? 'HGLG11';
  const v = (label: string, value: string): Pair => [label, options.override?.[label] ?? value];
  return renderPage(
    [
      renderTable([
        [v('FII', ticker), v('Cotação', '150,30')],
        [v('Nome', 'PÁTRIA LOG FII'), v('Data últ cot', '03/07/2026')],
        [v('Mandato', ''), v('Min 52 sem', '139,72')],
        [v('Segmento', '<a href="fii_resultado.php?segmento=11">Multicategoria</a>'), v('Max 52 sem', '154,66')],
        [v('Gestão', 'Ativa'), v('Vol $ méd (2m)', '14.508.000')],
      ]),
      renderTable([
        [v('Valor de mercado', '6.853.940.000'), v('Nro. Cotas', '45.601.745')],
        [v('Relatório', `29/05/2026${REPORT_LINK}`), v('Últ Info Trimestral', '31/03/2026')],
      ]),
      renderTable(
        [
          [v('Dia', '0,49%'), v('FFO Yield', '6,47%'), v('FFO/Cota', '9,73')],
          [v('Mês', '0,27%'), v('Div. Yield', '8,7%'), v('Dividendo/cota', '11,62')],
          [v('30 dias', '-1,76%'), v('P/VP', '0,91'), v('VP/Cota', '166,00')],
          [v('12 meses', '4,28%')],
          [v('2026', '0,22%')],
          [v('2025', '9,81%'), v('Receita', '491.532.000'), ['Receita', '143.645.000']],
          [v('2024', '4,59%'), v('Venda de ativos', '24.233.900'), ['Venda de ativos', '6.045.210']],
          [v('2023', '9,21%'), v('FFO', '443.581.000'), ['FFO', '118.777.000']],
          [v('2022', '6,84%'), v('Rend. Distribuído', '530.016.000'), ['Rend. Distribuído', '148.125.000']],
          [v('2021', '4,04%')],
          [['', ''], v('Ativos', '8.868.530.000'), v('Patrim Líquido', '7.570.060.000')],
        ],
        { oscillationFirst: true, heading: 'Oscilações' },
      ),
      renderTable(
        [
          [v('Qtd imóveis', '60'), v('Área (m2)', '3.404.765'), v('Cap Rate', '7,6%')],
          [v('Qtd Unidades', '60'), v('Aluguel/m2', '144'), v('Vacância Média', '3,2%')],
          [v('Imóveis/PL do FII', '94,6%'), v('Preço do m2', '1.905')],
        ],
        { heading: 'Imóveis' },
      ),
    ],
    ticker,
  );
}

export function notFoundPage(ticker = 'XXXX99'): string {
  return `<html><head><title>FUNDAMENTUS - ${ticker} - Invista consciente - Indicadores Fundamentalistas</title></head>
<body><ul class="software"></ul><div class="conteudo"><h1>Nenhum papel encontrado</h1><BR><BR></div></body></html>`;
}

export function selectTickerPage(candidates: [string, string, string][]): string {
  const rows = candidates
    .map(
      ([t, name, legal], i) =>
        `<tr class="${i % 2 ? 'par' : ''}"><td><a href="detalhes.php?papel=${t}">${t}</a></td>` +
        `<td>${name}</td><td>${legal}</td></tr>`,
    )
    .join('\n');
  return `<html><head><title>FUNDAMENTUS - Invista consciente</title></head><body><h1>Selecione o Papel</h1>
<table id="test1" class="resultado sortable-onload-2-reverse rowstyle-par colstyle-col no-arrow"><thead><tr>
<th><a href="#">Papel</a></th><th><a href="#">Nome Comercial</a></th><th><a href="#">Razão Social</a></th></tr></thead>
<tbody>${rows}</tbody></table></body></html>`;
}

export const CHALLENGE_PAGE =
  '<!DOCTYPE html><html><head><title>Just a moment...</title></head>\n' +
  '<body><form id="challenge-form" action="/detalhes.php?__cf_chl_f_tk=abc"></form>' +
  "<script>window._cf_chl_opt={cvId:'2'};</script></body></html>";

/** A listing table (resultado.php or fii_resultado.php) with the given headers and rows. */
export function listingPage(
  kind: 'acoes' | 'fiis',
  headers: string[],
  rows: { ticker: string; name: string; cells: string[] }[],
): string {
  const id = kind === 'acoes' ? 'resultado' : 'tabelaResultado';
  const th = headers.map((h, i) => `<th class="fd-column-${i}"><a href="#">${h}</a></th>`).join('');
  const body = rows
    .map((r, i) => {
      const link = `<a href="detalhes.php?papel=${r.ticker}">${r.ticker}</a>`;
      const papel = `<td ckass="res_papel"><span class="tips" title="${r.name}">${link}</span></td>`;
      const cells = r.cells.map((c) => `<td>\n\t\t\t\t${c}\t\t\t</td>`).join('');
      return `<tr class="${i % 2 ? 'par' : ''}">${papel}${cells}</tr>`;
    })
    .join('\n');
  const table = `<thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
  return `\n<!DOCTYPE html><html><head><meta charset="ISO-8859-1"></head><body>
${kind === 'fiis' ? '<input id="filtroEndereco">' : ''}
<table id="${id}" class="resultado rowstyle-par colstyle-col no-arrow">${table}</body></html>`;
}

/** Windows-1252 bytes of a text (only Latin-1 characters plus the few cp1252 extras we use). */
export function cp1252(text: string): Uint8Array {
  const extras: Record<string, number> = { '–': 0x96, '“': 0x93, '”': 0x94, '€': 0x80 };
  return Uint8Array.from([...text].map((ch) => extras[ch] ?? (ch.charCodeAt(0) <= 0xff ? ch.charCodeAt(0) : 0x3f)));
}

/** Narrowing helpers so specs read typed values without casts. */
export function expectKind<K extends string, T extends { kind: string }>(value: T, kind: K): Extract<T, { kind: K }> {
  if (value.kind !== kind) throw new Error(`expected kind ${kind}, got ${value.kind}`);
  return value as Extract<T, { kind: K }>;
}
