/** Deterministic PRNG (mulberry32) so fault patterns and synthetic values repeat run to run. */
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

/**
 * A ticker's own seed (FNV-1a of its name, mixed with the server's seed), so its listing row and
 * its detail page draw the same values, whatever the order they are asked for.
 */
export function tickerSeed(ticker: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < ticker.length; i++) hash = Math.imul(hash ^ ticker.charCodeAt(i), 0x01000193);
  return hash >>> 0;
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

/** A synthetic asset's names, which say what it is: no real company's name on made-up numbers. */
export function syntheticNames(
  ticker: string,
  kind: 'acoes' | 'fiis',
): { listing: string; texts: Record<string, string> } {
  const letters = ticker.replace(/\d+$/, '');
  if (kind === 'fiis') {
    const name = `FII ${letters} SINTÉTICO`;
    return { listing: name, texts: { nome_fii: name } };
  }
  return {
    listing: `${letters} SINTÉTICA`,
    texts: { nome_empresa: `${letters} SINTÉTICA ON`, tipo_papel: 'ON' },
  };
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export interface ListingRowCells {
  ticker: string;
  name: string;
  /** Cells after Papel, in header order. */
  cells: string[];
}

/** A listing page in the site's markup (table id, `ckass` typo, name in the title): Latin-1 text. */
export function listingHtml(kind: 'acoes' | 'fiis', headers: readonly string[], rows: ListingRowCells[]): string {
  const id = kind === 'acoes' ? 'resultado' : 'tabelaResultado';
  const head = headers.map((h) => `<th><a href="#">${escape(h)}</a></th>`).join('');
  const body = rows.map(({ ticker, name, cells }) => {
    const link = `<a href="detalhes.php?papel=${ticker}">${ticker}</a>`;
    const tds = cells.map((c) => `<td>${escape(c)}</td>`).join('');
    return `<tr><td ckass="res_papel"><span class="tips" title="${escape(name)}">${link}</span></td>${tds}</tr>`;
  });
  return [
    `<html><body><table id="${id}" class="resultado"><thead><tr>${head}</tr></thead><tbody>`,
    body.join('\n'),
    '</tbody></table></body></html>',
  ].join('\n');
}
