/**
 * Numbers written as the Fundamentus pages write them (decimal comma, thousands dots, a percent
 * printed ×100), in the shape of the text they replace, so a synthetic page keeps the site's
 * precision column by column (`0,752` on the listing, `0,75` on the detail page).
 */

/** How a page prints a number: decimals after the comma, and a `%` (the value ×100) or not. */
export interface TextFormat {
  decimals: number;
  percent: boolean;
}

/** The format of a number as a page printed it: `1.553.000.000,00`, `36,4%`, `60`. */
export function textFormat(text: string): TextFormat {
  const trimmed = text.trim();
  const percent = trimmed.endsWith('%');
  const comma = trimmed.lastIndexOf(',');
  return { percent, decimals: comma < 0 ? 0 : trimmed.length - comma - 1 - (percent ? 1 : 0) };
}

/** `value` in a page's format; thousands grouped with dots, as every Fundamentus page does. */
export function formatNumber(value: number, format: TextFormat): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot print ${value} on a page`);
  const scaled = format.percent ? value * 100 : value;
  const fixed = Math.abs(scaled).toFixed(format.decimals);
  const point = fixed.indexOf('.');
  const whole = point < 0 ? fixed : fixed.slice(0, point);
  let grouped = '';
  for (let i = 0; i < whole.length; i++) grouped += (i > 0 && (whole.length - i) % 3 === 0 ? '.' : '') + whole[i];
  const sign = scaled < 0 && Number(fixed) !== 0 ? '-' : '';
  return `${sign}${grouped}${point < 0 ? '' : `,${fixed.slice(point + 1)}`}${format.percent ? '%' : ''}`;
}

/** `value` printed like `template`: as many decimals, a `%` when it has one. */
export const formatLike = (template: string, value: number): string => formatNumber(value, textFormat(template));

/** Rounded to `digits` significant digits, as the pages print amounts (412.206.000.000). */
export function significant(value: number, digits = 6): number {
  if (value === 0) return 0;
  const exponent = digits - 1 - Math.floor(Math.log10(Math.abs(value)));
  // Dividing by a whole power of ten stays exact where multiplying by 1e-6 would not.
  if (exponent < 0) return Math.round(value / 10 ** -exponent) * 10 ** -exponent;
  return Math.round(value * 10 ** exponent) / 10 ** exponent;
}

/** Rounded to `decimals` places (a price, a per-share amount). */
export function round(value: number, decimals = 2): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/** The characters Windows-1252 puts where Latin-1 has control codes (the pages' en dash, quotes…). */
const CP1252_EXTRAS: Record<string, number> = {
  '€': 0x80,
  '‚': 0x82,
  '„': 0x84,
  '…': 0x85,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '•': 0x95,
  '–': 0x96,
  '—': 0x97,
};

/** Text as the sites send it: Windows-1252 bytes (`?` for what it cannot hold). */
export function toCp1252(text: string): Buffer {
  const bytes = Buffer.allocUnsafe(text.length);
  let n = 0;
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    bytes[n++] = code <= 0xff ? code : (CP1252_EXTRAS[ch] ?? 0x3f);
  }
  return bytes.subarray(0, n);
}
