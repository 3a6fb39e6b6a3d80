/** Rows as people read them (aligned columns) or as programs read them (CSV). */

function show(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

export interface TextTableOptions {
  /** Keep the last column whole (units, notes) instead of cutting it at 40 characters. */
  wideLast?: boolean;
  /** What the closing count counts: `(3 rows)` by default, `(3 columns)`… */
  noun?: string;
}

/** Aligned columns with a header, a rule and a count; cells are cut at 64 characters (first column) or 40. */
export function textTable(names: string[], rows: Record<string, unknown>[], options: TextTableOptions = {}): string {
  const noun = options.noun ?? 'row';
  const cells = rows.map((r) => names.map((n) => show(r[n])));
  const limit = (i: number) => (options.wideLast && i === names.length - 1 ? Infinity : i === 0 ? 64 : 40);
  const widths = names.map((n, i) => Math.min(limit(i), Math.max(n.length, ...cells.map((c) => c[i].length))));
  const line = (values: string[]) =>
    values
      .map((v, i) => (v.length > widths[i] ? `${v.slice(0, widths[i] - 1)}…` : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [
    line(names),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map(line),
    `(${rows.length} ${noun}${rows.length === 1 ? '' : 's'})`,
  ].join('\n');
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : show(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a header line; NULL is an empty cell. */
export function csvTable(names: string[], rows: Record<string, unknown>[]): string {
  return [names.map(csvCell).join(','), ...rows.map((r) => names.map((n) => csvCell(r[n])).join(','))].join('\n');
}
