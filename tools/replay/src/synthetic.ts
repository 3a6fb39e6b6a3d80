import { parseListingPage } from '@b3lake/scraper';

/** Deterministic PRNG (mulberry32) so fault patterns repeat run to run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** AAAA3, AAAB3, … for stocks; AAAA11, … for FIIs. */
export function syntheticTicker(i: number, kind: 'acoes' | 'fiis'): string {
  let letters = '';
  let n = i;
  for (let k = 0; k < 4; k++) {
    letters = String.fromCharCode(65 + (n % 26)) + letters;
    n = Math.floor(n / 26);
  }
  return `${letters}${kind === 'acoes' ? '3' : '11'}`;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/**
 * A listing page with `count` synthetic tickers, rotating the rows of a recorded listing
 * (same headers, same cell texts), in the site's markup.
 */
export function syntheticListing(
  base: Uint8Array,
  kind: 'acoes' | 'fiis',
  count: number,
): { html: string; tickers: string[]; templates: string[] } {
  const listing = parseListingPage(base);
  const id = kind === 'acoes' ? 'resultado' : 'tabelaResultado';
  const tickers: string[] = [];
  const templates: string[] = [];
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    const template = listing.rows[i % listing.rows.length];
    const ticker = syntheticTicker(i, kind);
    tickers.push(ticker);
    templates.push(template.ticker);
    const cells = listing.headers
      .slice(1)
      .map((h) => `<td>${escape(template.raw[h] ?? '')}</td>`)
      .join('');
    const title = `${escape(template.name)} ${ticker}`;
    const link = `<a href="detalhes.php?papel=${ticker}">${ticker}</a>`;
    rows.push(`<tr><td ckass="res_papel"><span class="tips" title="${title}">${link}</span></td>${cells}</tr>`);
  }
  const head = listing.headers.map((h) => `<th><a href="#">${escape(h)}</a></th>`).join('');
  return {
    html: [
      `<html><body><table id="${id}" class="resultado"><thead><tr>${head}</tr></thead><tbody>`,
      rows.join('\n'),
      '</tbody></table></body></html>',
    ].join('\n'),
    tickers,
    templates,
  };
}
