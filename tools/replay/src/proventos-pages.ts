/**
 * Synthetic dividend pages for the replay server: Fundamentus' `proventos.php?papel=X` (stocks)
 * and `fii_proventos.php?papel=X&tipo=2` (FIIs), in the recorded pages' markup (table ids,
 * headers, Windows-1252 bytes, the stock page's "Agrupar por ano" totals), for every ticker on
 * the served listings.
 *
 * A ticker's history depends only on its listing row (price, dividend yield), the seed and the
 * calendar: each year's rows are drawn from the ticker and the year alone, so a later "today"
 * only adds rows at the top. The history stops at the server's today (no data com after it).
 * Amounts follow the listing: a year pays about the listed dividend yield × the listed price
 * (stocks within 2–20% a year, a FII's month 0.7–1% of its price), so a trailing yield on the
 * replay market's prices (COTAHIST closes included, which move around the same quotes) is plausible.
 *
 * Stocks: history from 1996–2003 (rows before 2005 per 1000 shares, as the site prints them;
 * no payment date (`-`) before 2018), DIVIDENDO and JRS CAP PRÓPRIO (both spellings) on a
 * quarterly, monthly or half-yearly pattern, December's dividend and JCP on one date (from 2018
 * the dividend often in two instalments: two rows, one date, two payment dates). A stock listed
 * with no dividend yield stopped paying in 2014–2019. FIIs: a monthly "Rendimento" from 2010–2017
 * on the month's last weekday, paid 10 weekdays later, some Decembers a second one on that date.
 * Holidays are not modelled (as in the COTAHIST files).
 */
import { parseListingPage } from '@b3lake/scraper';
import type { ListingKind } from './market';
import { formatNumber, round, toCp1252 } from './page-text';
import { seededRandom, tickerSeed } from './synthetic';

/** The paths the site serves them at; a FII's link adds `&tipo=2`. */
export const PROVENTOS_PATHS: Readonly<Record<ListingKind, string>> = {
  acoes: '/proventos.php',
  fiis: '/fii_proventos.php',
};

/** Stock rows with a data com before this year are per 1000 shares (ITUB4's and WEGE3's last are of 2004 and 1997). */
export const BASE_1000_BEFORE = 2005;
/** Stock rows with a data com before this year print `-` as payment date (on the recorded pages, up to 2017). */
export const PAYMENT_DATES_FROM = 2018;
/** Years in the stock page's yearly totals table, the current one included (2010–2026 on the recorded pages). */
export const YEARLY_TOTAL_YEARS = 17;

/** One distribution as the page prints it. */
export interface ProventoRow {
  /** Data com, ISO. */
  dataCom: string;
  /** As printed: per `porQuantasAcoes` shares (4 decimals on the stock page, 2 on the FII page). */
  valor: number;
  tipo: string;
  /** ISO, or null where the page prints `-`. */
  dataPagamento: string | null;
  /** 1, or 1000 on old stock rows; 1 for FIIs. */
  porQuantasAcoes: number;
}

/** What a history is made from: the ticker's listing row. */
export interface ProventosAsset {
  ticker: string;
  kind: ListingKind;
  /** The listed quote (Cotação), BRL. */
  price: number;
  /** The listed dividend yield (a fraction), null when the listing has none. */
  dividendYield: number | null;
}

export interface ProventosHistoryOptions {
  /** ISO date the server takes as today: no data com after it. */
  today: string;
  seed: number;
  /** The "changed history" variant: one past row removed, a new row at the top (see changedHistory). */
  changed?: boolean;
}

const DAY_MS = 86_400_000;
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const isWeekend = (day: number) => [0, 6].includes(new Date(day * DAY_MS).getUTCDay());
const yearOf = (iso: string) => Number(iso.slice(0, 4));
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

function weekdayOnOrBefore(day: number): number {
  while (isWeekend(day)) day--;
  return day;
}
function weekdayOnOrAfter(day: number): number {
  while (isWeekend(day)) day++;
  return day;
}
function addWeekdays(day: number, count: number): number {
  for (let n = 0; n < count;) if (!isWeekend(++day)) n++;
  return day;
}
/** The last weekday of a month (`month` 1–12). */
const lastWeekday = (year: number, month: number) => weekdayOnOrBefore(Date.UTC(year, month, 0) / DAY_MS);
/** A weekday between the 10th and the 25th of a month. */
const midMonth = (year: number, month: number, random: () => number) =>
  weekdayOnOrAfter(Date.UTC(year, month - 1, 10 + Math.floor(random() * 16)) / DAY_MS);

/** A draw of its own for each ticker and purpose, so nothing depends on the order pages are asked for. */
const randomOf = (key: string, seed: number) => seededRandom(tickerSeed(key, seed));

/** A row in the making: its day, its order among the rows of that day, its amount per share. */
interface Draft {
  day: number;
  order: number;
  tipo: string;
  perShare: number;
  payment: number | null;
}

type StockPattern = 'quarterly' | 'monthly' | 'half-yearly';

function stockHistory(asset: ProventosAsset, lastYear: number, seed: number): Draft[] {
  const profile = randomOf(`${asset.ticker}:proventos`, seed);
  const startYear = 1996 + Math.floor(profile() * 8);
  const pick = profile();
  const pattern: StockPattern = pick < 0.55 ? 'quarterly' : pick < 0.8 ? 'monthly' : 'half-yearly';
  const accented = profile();
  const listed = asset.dividendYield ?? 0;
  const stopped = listed > 0 ? Infinity : 2014 + Math.floor(profile() * 6);
  const target = listed > 0 ? clamp(listed, 0.02, 0.2) : 0.03 + profile() * 0.05;
  const drafts: Draft[] = [];
  for (let year = startYear; year <= Math.min(lastYear, stopped); year++) {
    const random = randomOf(`${asset.ticker}:proventos:${year}`, seed);
    const total = asset.price * target * (0.75 + 0.5 * random());
    const jcp = () => (random() < accented ? 'JRS CAP PRÓPRIO' : 'JRS CAP PROPRIO');
    const events: { day: number; order: number; tipo: string; weight: number }[] = [];
    const december = lastWeekday(year, 12);
    if (pattern === 'quarterly') {
      for (const month of [3, 6, 9, 12])
        events.push({ day: lastWeekday(year, month), order: 1, tipo: jcp(), weight: 1 });
      events.push({ day: december, order: 0, tipo: 'DIVIDENDO', weight: 2 });
      if (random() < 0.4) events.push({ day: midMonth(year, 8, random), order: 0, tipo: 'DIVIDENDO', weight: 1 });
    } else if (pattern === 'monthly') {
      for (let month = 1; month <= 12; month++)
        events.push({ day: lastWeekday(year, month), order: 1, tipo: jcp(), weight: 0.4 });
      events.push({ day: midMonth(year, 6, random), order: 0, tipo: jcp(), weight: 2.5 });
      events.push({ day: december, order: 0, tipo: 'DIVIDENDO', weight: 3 });
    } else {
      events.push({ day: midMonth(year, 4, random), order: 0, tipo: 'DIVIDENDO', weight: 2 });
      events.push({ day: december, order: 0, tipo: 'DIVIDENDO', weight: 2 });
      events.push({ day: december, order: 1, tipo: jcp(), weight: 1 });
    }
    const weights = events.reduce((sum, e) => sum + e.weight, 0);
    const withPayments = year >= PAYMENT_DATES_FROM;
    const instalments = withPayments && random() < 0.5;
    for (const event of events) {
      const perShare = (total * event.weight) / weights;
      const lag = 20 + Math.floor(random() * 100);
      const payment = withPayments ? weekdayOnOrAfter(event.day + lag) : null;
      if (instalments && event.tipo === 'DIVIDENDO' && event.day === december) {
        // Two rows on one date, as WEGE3's 19/12/2025: half each, paid ~80 and ~235 days later.
        drafts.push({ ...event, perShare: perShare / 2, payment: weekdayOnOrAfter(event.day + 80) });
        drafts.push({ ...event, perShare: perShare / 2, payment: weekdayOnOrAfter(event.day + 235) });
      } else drafts.push({ ...event, perShare, payment });
    }
  }
  return drafts;
}

function fundHistory(asset: ProventosAsset, lastYear: number, seed: number): Draft[] {
  const profile = randomOf(`${asset.ticker}:proventos`, seed);
  const startYear = 2010 + Math.floor(profile() * 8);
  const startMonth = 1 + Math.floor(profile() * 12);
  const monthly = (asset.price * clamp(asset.dividendYield ?? 0.1, 0.09, 0.11)) / 12;
  const drafts: Draft[] = [];
  for (let year = startYear; year <= lastYear; year++) {
    const random = randomOf(`${asset.ticker}:proventos:${year}`, seed);
    const level = 0.94 + 0.12 * random();
    for (let month = 1; month <= 12; month++) {
      const noise = 0.98 + 0.04 * random();
      const extra = random();
      if (year === startYear && month < startMonth) continue;
      const day = lastWeekday(year, month);
      const payment = addWeekdays(day, 10);
      drafts.push({ day, order: 0, tipo: 'Rendimento', perShare: monthly * level * noise, payment });
      // Some Decembers a second distribution on the same date, as HGLG11's 30/04/2026.
      if (month === 12 && extra < 0.35)
        drafts.push({ day, order: 1, tipo: 'Rendimento', perShare: monthly * (0.1 + extra), payment });
    }
  }
  return drafts;
}

const keyOf = (row: ProventoRow) =>
  [row.dataCom, row.tipo, row.valor, row.porQuantasAcoes, row.dataPagamento ?? '-'].join('|');

/**
 * A ticker's history, newest first, as its page prints it (several rows on one date in a fixed
 * order); rows with a data com after `today` are not there yet.
 */
export function proventosHistory(asset: ProventosAsset, options: ProventosHistoryOptions): ProventoRow[] {
  const today = dayNumber(options.today);
  const lastYear = yearOf(options.today);
  const fii = asset.kind === 'fiis';
  const drafts = fii ? fundHistory(asset, lastYear, options.seed) : stockHistory(asset, lastYear, options.seed);
  const rows = drafts
    .filter((d) => d.day <= today)
    .map((d, i) => ({ d, i }))
    .sort((a, b) => b.d.day - a.d.day || a.d.order - b.d.order || a.i - b.i)
    .map(({ d }): ProventoRow => {
      const base = !fii && yearOf(isoOf(d.day)) < BASE_1000_BEFORE ? 1000 : 1;
      const decimals = fii ? 2 : 4;
      return {
        dataCom: isoOf(d.day),
        valor: Math.max(round(d.perShare * base, decimals), 10 ** -decimals),
        tipo: d.tipo,
        dataPagamento: d.payment === null ? null : isoOf(d.payment),
        porQuantasAcoes: base,
      };
    });
  return options.changed ? changedHistory(rows, asset, options.today) : rows;
}

/**
 * The "changed history" variant of `rows`: the past row in the middle of the page (one with no
 * exact repeat) is gone, and a new distribution is at the top (data com: the last weekday up to
 * today; a DIVIDENDO of 1% of the price, or a FII's Rendimento of 0.8%; payment `-`, not announced
 * yet). Relative to `rows`, exactly one row removed and one added.
 */
export function changedHistory(rows: readonly ProventoRow[], asset: ProventosAsset, today: string): ProventoRow[] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(keyOf(row), (counts.get(keyOf(row)) ?? 0) + 1);
  const past = rows.flatMap((row, i) => (i > 0 && counts.get(keyOf(row)) === 1 ? [i] : []));
  const removed = past[Math.floor(past.length / 2)];
  const fii = asset.kind === 'fiis';
  const decimals = fii ? 2 : 4;
  const added: ProventoRow = {
    dataCom: isoOf(weekdayOnOrBefore(dayNumber(today))),
    valor: Math.max(round(asset.price * (fii ? 0.008 : 0.01), decimals), 10 ** -decimals),
    tipo: fii ? 'Rendimento' : 'DIVIDENDO',
    dataPagamento: null,
    porQuantasAcoes: 1,
  };
  while (counts.has(keyOf(added))) added.valor = round(added.valor + 10 ** -decimals, decimals);
  return [added, ...rows.filter((_, i) => i !== removed)];
}

/** The stock page's "Agrupar por ano" table: per year of data com, the sum per share, 3 decimals, newest first. */
export function yearlyTotals(rows: readonly ProventoRow[], today: string): { ano: number; valor: number }[] {
  const first = yearOf(today) - YEARLY_TOTAL_YEARS + 1;
  const sums = new Map<number, number>();
  for (const row of rows) {
    const year = yearOf(row.dataCom);
    if (year >= first) sums.set(year, (sums.get(year) ?? 0) + row.valor / row.porQuantasAcoes);
  }
  return [...sums].sort((a, b) => b[0] - a[0]).map(([ano, sum]) => ({ ano, valor: round(sum, 3) }));
}

const brDate = (iso: string) => iso.split('-').reverse().join('/');
const decimal = (value: number, decimals: number) => formatNumber(value, { decimals, percent: false });
const parity = (i: number) => (i % 2 ? 'par' : '');
const T = (n: number) => '\t'.repeat(n);

const HEAD = [
  '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">',
  '<html lang="pt-br">',
  '<head>',
  `${T(1)}<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">`,
];

/** Top of the page: the ticker ("Você está vendo") and the menu that links to the page itself. */
function topo(ticker: string, own: string, label: string, indent: string): string[] {
  return [
    `${T(1)}<div class="center">`,
    '<div class="topo">',
    `   <div class="atual"><p>Você está vendo<strong>${ticker}</strong></p></div>`,
    '   <div id="containerMenu">',
    '      <ul id="menu" class="software adxm menu">',
    `         <li><a class="detalhes" href="detalhes.php?papel=${ticker}">Detalhes</a></li>`,
    '         <li>',
    `${indent}<a class="historicos" onClick="poApple()">Dados Históricos</a>`,
    `${indent}<ul class="provetos">`,
    `${indent}   <li><a class="dh" href="${own}?papel=${ticker}&tipo=2">${label}</a></li>`,
    `${indent}</ul>`,
    '         </li>',
    '      </ul>',
    '   </div>',
    `</div>${T(2)}<div class="conteudo clearfix">`,
  ];
}

const TOGGLE = [
  '  <script>',
  '    function toggleClasse() {',
  '      if (document.getElementById("chbAgruparAno").checked) {',
  '        document.getElementById("tabela-completa").style.display = "none";',
  '        document.getElementById("tabela-anual").style.display = "block";',
  '      } else {',
  '        document.getElementById("tabela-completa").style.display = "block";',
  '        document.getElementById("tabela-anual").style.display = "none";',
  '      }',
  '    }',
  '  </script>',
];

const TABLE_ATTRS = 'class="resultado rowstyle-par colstyle-col no-arrow" border="0" cellpadding="0" cellspacing="0"';
const TH = '<th style="-moz-user-select: none;';
const ROW_START = `${T(6)}  ${T(9)}<tr class="`;

/** The stock page (`proventos.php`): the distributions, then the yearly totals (hidden until "Agrupar por ano"). */
export function stockPageHtml(ticker: string, rows: readonly ProventoRow[], today: string): string {
  const distributions = rows.flatMap((row, i) => [
    `${ROW_START}${parity(i)}">`,
    `${T(9)}<td>${brDate(row.dataCom)}</td>${T(7)}  <td>${decimal(row.valor, 4)}</td>`,
    `${T(7)}  <td>${row.tipo}</td>`,
    `${T(7)}  <td>${row.dataPagamento ? brDate(row.dataPagamento) : '-'}${T(7)}  </td>`,
    `${T(7)}  <td>${row.porQuantasAcoes}</td>`,
    `${T(9)}  </tr>`,
  ]);
  const totals = yearlyTotals(rows, today).flatMap((total, i) => [
    `${ROW_START}${parity(i)}">`,
    `${T(7)}  <td>${total.ano}</td>`,
    `${T(7)}  <td>${decimal(total.valor, 3)}</td>`,
    `${T(9)}  </tr>`,
  ]);
  const header = (column: number, sort: string, text: string, width = '') =>
    `${T(10)}${TH}${width}" class="fd-column-${column} sortable-${sort}"><a href="#">${text}</a></th>`;
  return [
    ...HEAD,
    `${T(1)}<title>FUNDAMENTUS - Invista consciente</title>`,
    ...TOGGLE,
    '</head>',
    '<body class="proventos">',
    ...topo(ticker, 'proventos.php', 'Proventos', '            '),
    `    ${T(1)}<div class="center">`,
    `    ${T(2)}<div class="conteudo clearfix">`,
    `    ${T(3)}<h1>Proventos:</h1>`,
    `${T(4)}    <label><input id="chbAgruparAno" type="checkbox" onchange="toggleClasse()">Agrupar por ano</label>`,
    `${T(5)}<div id="tabela-completa">`,
    ` ${T(5)}  <br>`,
    `${T(5)}  <div style="width: 317px; margin-bottom: 9px">* A data se refere ao "último dia com", ou seja, a data ` +
      'em que o acionista passa a ter o direito de receber o dividendo caso termine o dia com a ação.</div>',
    `${T(5)}  <table id="resultado" ${TABLE_ATTRS}>`,
    `${T(8)}<thead>`,
    `${T(9)}<tr>`,
    header(0, 'date reverseSort', 'Data'),
    header(1, 'numeric', 'Valor'),
    header(2, 'text', 'Tipo'),
    header(3, 'date', 'Data de Pagamento'),
    header(4, 'numeric', 'Por quantas ações'),
    `${T(9)}</tr>`,
    `${T(8)}</thead>`,
    `${T(8)}<tbody>`,
    ...distributions,
    `${T(8)}</tbody>`,
    `${T(7)}</table>`,
    `${T(5)}</div>`,
    `${T(5)}<div id="tabela-anual" style="display:none;">`,
    ` ${T(5)}  <br>`,
    `${T(5)}  <table id="resultado-anual" ${TABLE_ATTRS}>`,
    `${T(8)}<thead>`,
    `${T(9)}<tr>`,
    header(0, 'numeric', 'Ano', ' width: 85px;'),
    header(1, 'numeric', 'Valor', ' width: 85px;'),
    `${T(9)}</tr>`,
    `${T(8)}</thead>`,
    `${T(8)}<tbody>`,
    ...totals,
    `${T(8)}</tbody>`,
    `${T(7)}</table>`,
    `${T(5)}</div>`,
    `${T(5)} ${T(6)}</div>`,
    `    ${T(1)}</div>`,
    `  ${T(2)}</div>`,
    `${T(1)}</div>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The FII page (`fii_proventos.php`): Última Data Com, Tipo, Data de Pagamento, Valor (2 decimals); no totals. */
export function fundPageHtml(ticker: string, rows: readonly ProventoRow[]): string {
  const pad = ' '.repeat(18);
  const distributions = rows.flatMap((row, i) => [
    `${' '.repeat(21)}${T(5)}<tr class="${parity(i)}">`,
    `${pad}<td>${brDate(row.dataCom)}</td>`,
    `${pad}<td>${row.tipo}</td>`,
    `${pad}<td>${row.dataPagamento ? brDate(row.dataPagamento) : '-'}</td>`,
    `${pad}<td>${decimal(row.valor, 2)}</td>`,
    `    ${T(5)}  </tr>`,
  ]);
  const header = (column: number, sort: string, text: string, width = ' ') =>
    `    ${T(6)}${TH}${width}" class="fd-column-${column} sortable-${sort}"><a href="#">${text}</a></th>`;
  return [
    ...HEAD,
    `${T(1)}<title>FUNDAMENTUS - Invista consciente - Distribuição de Rendimentos - ${ticker}</title>`,
    '</head>',
    '<body class="fii-proventos">',
    ...topo(ticker, 'fii_proventos.php', 'Rendimentos', '              '),
    '      </div>',
    `    ${T(1)}<div class="center">`,
    `    ${T(2)}<div class="conteudo clearfix">`,
    `    ${T(3)}<h1>Proventos</h1>`,
    `          <table id="resultado" ${TABLE_ATTRS}>`,
    `    ${T(4)}<thead>`,
    `    ${T(5)}<tr>`,
    header(0, 'date reverseSort', 'Última Data Com'),
    header(1, 'numeric', 'Tipo', ' width: 100px;'),
    header(3, 'numeric', 'Data de Pagamento', ''),
    header(2, 'text', 'Valor', ' width: 100px;'),
    `    ${T(5)}</tr>`,
    `    ${T(4)}</thead>`,
    `    ${T(4)}<tbody>`,
    ...distributions,
    `${' '.repeat(18)}${T(4)}</tbody>`,
    `    ${T(3)}</table>`,
    `${' '.repeat(13)}${T(2)}</div>`,
    `    ${T(1)}</div>`,
    `  ${T(2)}</div>`,
    `${T(1)}</div>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export interface ProventosPagesOptions {
  /** The served listing pages: which tickers exist, of which kind, at which price and dividend yield. */
  listings: Readonly<Record<ListingKind, Buffer>>;
  /** ISO date the server takes as today: no data com after it. */
  today: string;
  seed: number;
  /** Tickers served with their changed history; read at each request, so it may change while serving. */
  changed?: ReadonlySet<string>;
}

/** The replay server's dividend pages: made on request, kept once made. */
export class ProventosPages {
  private assetsByTicker?: Map<string, ProventosAsset>;
  private readonly pages = new Map<string, Buffer>();

  constructor(private readonly options: ProventosPagesOptions) {}

  /** Every ticker on the served listings, with what its history is made from. */
  assets(): ReadonlyMap<string, ProventosAsset> {
    if (!this.assetsByTicker) {
      this.assetsByTicker = new Map();
      for (const kind of ['acoes', 'fiis'] as const) {
        const listing = parseListingPage(this.options.listings[kind]);
        for (const row of listing.rows) {
          const values = row.values as { vlr_cot?: number | null; vlr_ind_div_yield?: number | null };
          const yields = row.values as { vlr_div_yield?: number | null };
          const price = values.vlr_cot && values.vlr_cot > 0 ? values.vlr_cot : kind === 'fiis' ? 100 : 20;
          const dividendYield = (kind === 'fiis' ? yields.vlr_div_yield : values.vlr_ind_div_yield) ?? null;
          this.assetsByTicker.set(row.ticker, { ticker: row.ticker, kind, price, dividendYield });
        }
      }
    }
    return this.assetsByTicker;
  }

  /** A ticker's rows as served now (its changed history if it is in `changed`); undefined for an unknown ticker. */
  history(ticker: string): ProventoRow[] | undefined {
    const asset = this.assets().get(ticker);
    if (!asset) return undefined;
    const changed = this.options.changed?.has(ticker) ?? false;
    return proventosHistory(asset, { today: this.options.today, seed: this.options.seed, changed });
  }

  /**
   * The dividend page of `ticker` (Windows-1252 bytes), undefined when the listings do not have it.
   * A ticker gets its own kind's page whichever of the two paths asked for it.
   */
  page(ticker: string): Buffer | undefined {
    const asset = this.assets().get(ticker);
    if (!asset) return undefined;
    const key = `${ticker}${this.options.changed?.has(ticker) ? ' changed' : ''}`;
    let page = this.pages.get(key);
    if (!page) {
      const rows = this.history(ticker) ?? [];
      const html = asset.kind === 'fiis' ? fundPageHtml(ticker, rows) : stockPageHtml(ticker, rows, this.options.today);
      page = toCp1252(html);
      this.pages.set(key, page);
    }
    return page;
  }
}
