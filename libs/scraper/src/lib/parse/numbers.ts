import { ValueFormatError } from '../errors';
import { cleanText } from './text';

/** Number formats seen on the sources: pt-BR (`1.234,56`) and en-US (`1,234.56`, B3 `en-us`). */
export type NumberLocale = 'pt-br' | 'en-us';

const SEPARATORS: Record<NumberLocale, { group: string; decimal: string }> = {
  'pt-br': { group: '.', decimal: ',' },
  'en-us': { group: ',', decimal: '.' },
};

/** Texts that mean "no value" on Fundamentus and B3. */
const NULL_TEXTS = new Set(['', '-', '--', 'n/a', 'N/A']);

export function isNullText(text: string): boolean {
  return NULL_TEXTS.has(cleanText(text));
}

interface Decomposed {
  negative: boolean;
  integerDigits: string;
  fractionDigits: string;
}

const escaped = (separator: string) => (separator === '.' ? '\\.' : separator);
/** One pattern per locale, compiled once: every number of every page goes through it. */
const NUMBER_PATTERNS = Object.fromEntries(
  Object.entries(SEPARATORS).map(([locale, { group, decimal }]) => [
    locale,
    new RegExp(`^([+-]?)\\s*(\\d{1,3}(?:${escaped(group)}\\d{3})+|\\d+)(?:${escaped(decimal)}(\\d+))?$`),
  ]),
) as Record<NumberLocale, RegExp>;

/**
 * Splits `-1.234,56` into sign, integer digits and fraction digits. Thousands groups are
 * optional but, when present, must be groups of three (so `1.23` is never read as 123).
 */
function decompose(text: string, locale: NumberLocale): Decomposed | undefined {
  const { group } = SEPARATORS[locale];
  const match = NUMBER_PATTERNS[locale].exec(text);
  if (!match) return undefined;
  return {
    negative: match[1] === '-',
    integerDigits: match[2].split(group).join(''),
    fractionDigits: match[3] ?? '',
  };
}

/** Builds the double nearest to the decimal text, optionally scaled by 10^exponent (exactly, via text). */
function toNumber(parts: Decomposed, exponent = 0): number {
  const mantissa = `${parts.integerDigits}.${parts.fractionDigits || '0'}`;
  const value = Number(`${mantissa}e${exponent}`);
  return parts.negative && value !== 0 ? -value : value;
}

/** `1.234,56` → 1234.56, `-29,57` → -29.57, `-` → null. A `%` or any other text is an error. */
export function parseDecimal(text: string, field = 'value', locale: NumberLocale = 'pt-br'): number | null {
  const clean = cleanText(text);
  if (NULL_TEXTS.has(clean)) return null;
  const parts = decompose(clean, locale);
  if (!parts) throw new ValueFormatError(field, text, `a decimal number (${example(locale)})`);
  return toNumber(parts);
}

/** `-2,91%` → -0.0291, `36,4%` → 0.364 (every percentage is a fraction), `-` → null. */
export function parsePercent(text: string, field = 'value', locale: NumberLocale = 'pt-br'): number | null {
  const clean = cleanText(text);
  if (NULL_TEXTS.has(clean)) return null;
  const parts = clean.endsWith('%') ? decompose(clean.slice(0, -1).trimEnd(), locale) : undefined;
  if (!parts) throw new ValueFormatError(field, text, 'a percentage such as 12,3%');
  return toNumber(parts, -2);
}

/**
 * A B3 participation such as `2,728` (already in percent, no `%` sign) → 0.02728.
 * Kept separate from parsePercent so a missing `%` on Fundamentus stays an error.
 */
export function parsePercentPoints(text: string, field = 'value', locale: NumberLocale = 'pt-br'): number | null {
  const clean = cleanText(text);
  if (NULL_TEXTS.has(clean)) return null;
  const parts = decompose(clean, locale);
  if (!parts) throw new ValueFormatError(field, text, `a percentage in points (${example(locale)})`);
  return toNumber(parts, -2);
}

/**
 * `13.044.500.000` → 13044500000. Integers must be whole and within 2^53 so they stay exact;
 * a value such as `1,5` or one beyond Number.MAX_SAFE_INTEGER is an error, never rounded.
 */
export function parseInteger(text: string, field = 'value', locale: NumberLocale = 'pt-br'): number | null {
  const clean = cleanText(text);
  if (NULL_TEXTS.has(clean)) return null;
  const parts = decompose(clean, locale);
  if (!parts || /[1-9]/.test(parts.fractionDigits)) {
    throw new ValueFormatError(
      field,
      text,
      `a whole number (${locale === 'pt-br' ? '13.044.500.000' : '13,044,500,000'})`,
    );
  }
  const value = toNumber(parts);
  if (!Number.isSafeInteger(value)) throw new ValueFormatError(field, text, 'an integer within ±2^53 (exact)');
  return value;
}

/** `24/05/2022` → `2022-05-24` (ISO DATE); `-` → null; impossible dates are errors. */
export function parseDate(text: string, field = 'value'): string | null {
  const clean = cleanText(text);
  if (NULL_TEXTS.has(clean)) return null;
  const match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(clean);
  if (!match) throw new ValueFormatError(field, text, 'a date dd/mm/yyyy');
  return isoDate(Number(match[3]), Number(match[2]), Number(match[1]), field, text);
}

/**
 * B3's two-digit-year dates: `08/12/22` is DD/MM/YY in pt-br, `04/07/25` is MM/DD/YY in en-us.
 * Years are 20YY (B3 portfolios start in the 2000s).
 */
export function parseShortDate(text: string, locale: NumberLocale, field = 'date'): string {
  const match = /^(\d{2})\/(\d{2})\/(\d{2}|\d{4})$/.exec(cleanText(text));
  if (!match) throw new ValueFormatError(field, text, `a date ${locale === 'pt-br' ? 'dd/mm/yy' : 'mm/dd/yy'}`);
  const [a, b] = [Number(match[1]), Number(match[2])];
  const year = match[3].length === 2 ? 2000 + Number(match[3]) : Number(match[3]);
  return locale === 'pt-br' ? isoDate(year, b, a, field, text) : isoDate(year, a, b, field, text);
}

function isoDate(year: number, month: number, day: number, field: string, text: string): string {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new ValueFormatError(field, text, 'a calendar date');
  }
  return date.toISOString().slice(0, 10);
}

function example(locale: NumberLocale): string {
  return locale === 'pt-br' ? '1.234,56' : '1,234.56';
}
