/**
 * U+FFFD REPLACEMENT CHARACTER is what a decoder writes for bytes it could not read: the letter
 * is lost before we ever see the text (e.g. a page saved through the wrong charset, or B3's
 * 2022 pt-br JSON). Numbers with it fail to parse anyway; text keeps it silently, so we warn.
 */
const REPLACEMENT = '\ufffd';

const WHY = 'letters lost to a wrong text decoding before b3lake read it; kept as is';

export function hasReplacementChar(text: string): boolean {
  return text.includes(REPLACEMENT);
}

/** The warning for one field of one record (a detail page's column). */
export function replacementCharWarning(field: string, text: string): string {
  return `${field}: "${text}" contains U+FFFD replacement characters (${WHY})`;
}

/** Gathers the damaged fields of many rows, to warn once per field instead of once per row. */
export class ReplacementCharsByField {
  private readonly fields = new Map<string, { rows: number; row: string; text: string }>();

  /** Notes `text` of `field` in the row named `row` (its ticker) if it holds U+FFFD. */
  check(field: string, text: string, row: string): void {
    if (!hasReplacementChar(text)) return;
    const seen = this.fields.get(field);
    if (seen) seen.rows++;
    else this.fields.set(field, { rows: 1, row, text });
  }

  warnings(): string[] {
    return [...this.fields].map(
      ([field, { rows, row, text }]) =>
        `${field}: ${rows} ${rows === 1 ? 'row contains' : 'rows contain'} U+FFFD replacement characters ` +
        `(first: ${row} "${text}"; ${WHY})`,
    );
  }
}
