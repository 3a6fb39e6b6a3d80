import { ASSET_KINDS } from '@b3lake/lake';
import type { DetailPage, Listing, Portfolio } from '@b3lake/scraper';

type Value = string | number | null;

/** Formats a typed value for people: fractions stay fractions, but say the percent too. */
function show(column: string, value: Value): string {
  if (value === null) return '—';
  if (typeof value === 'number' && isFraction(column)) return `${value} (${round(value * 100)}%)`;
  return String(value);
}

function isFraction(column: string): boolean {
  return /^pct_|_yield$|margem|roic|roe$|ebit_sobre_ativo|cap_rate|vacancia|imoveis_sobre_pl/.test(column);
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

export function formatDetail(page: DetailPage): string {
  const name = page.kind === 'fii' ? page.values.nome_fii : page.values.nome_empresa;
  const entries = Object.entries(page.values as Record<string, Value>).filter(([, v]) => v !== null);
  const width = Math.max(...entries.map(([k]) => k.length));
  const lines = [`${page.ticker} — ${name ?? ''} (${page.kind}, ${page.layout} layout)`, ''];
  for (const [column, value] of entries) lines.push(`  ${column.padEnd(width)}  ${show(column, value)}`);
  const empty = Object.keys(page.values).length - entries.length;
  const unknown = page.unknownLabels.length ? `, unknown labels kept in raw: ${page.unknownLabels.join(', ')}` : '';
  const damaged = page.warnings?.length ? `, ${plural(page.warnings.length, 'value')} with damaged text (U+FFFD)` : '';
  lines.push('', `${entries.length} values, ${empty} columns empty on this page${unknown}${damaged}`);
  return lines.join('\n');
}

export function formatListing(listing: Listing, limit = 10): string {
  const duplicates = listing.duplicateRows ? `, ${listing.duplicateRows} duplicate rows collapsed` : '';
  const unknown = listing.unknownHeaders.length ? `, unknown headers: ${listing.unknownHeaders.join(', ')}` : '';
  const lines = [
    `${listing.rows.length} ${ASSET_KINDS[listing.kind].label}, ${listing.headers.length} columns` +
      `${duplicates}${unknown}`,
  ];
  for (const row of listing.rows.slice(0, limit)) {
    lines.push(`  ${row.ticker.padEnd(8)} ${String(row.values.vlr_cot ?? '—').padStart(10)}  ${row.name}`);
  }
  if (listing.rows.length > limit) lines.push(`  … ${listing.rows.length - limit} more (use --json for all)`);
  return lines.join('\n');
}

/** `warningsInline: false` leaves the warnings to the caller (parse prints them on stderr). */
export function formatPortfolio(p: Portfolio, { limit = 10, warningsInline = true } = {}): string {
  const sum = p.rows.reduce((total, row) => total + row.participation, 0);
  const of = p.date ? ` of ${p.date}` : ' (theoretical)';
  const lines = [
    `${p.index ?? 'Index'} portfolio${of}: ${p.rows.length} assets, ` +
      `participations sum to ${round(sum * 100)}%, reductor ${p.reductor ?? 'unknown'}`,
    ...(warningsInline ? p.warnings.map((w) => `  warning: ${w}`) : []),
  ];
  const top = [...p.rows].sort((a, b) => b.participation - a.participation).slice(0, limit);
  for (const row of top)
    lines.push(
      `  ${row.ticker.padEnd(8)} ${(round(row.participation * 100) + '%').padStart(9)}  ` +
        `${row.type.padEnd(10)} ${row.name}`,
    );
  if (p.rows.length > limit) lines.push(`  … ${p.rows.length - limit} more (use --json for all)`);
  return lines.join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
