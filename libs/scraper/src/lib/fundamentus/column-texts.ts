import { labelKey } from '../parse/text';
import { ACAO_FIELDS, FII_FIELDS, YEAR_COLUMNS, YEAR_OF_A0_COLUMN, type FieldSpec } from './detail-fields';
import type { DetailPage } from './detail-parser';
import { matchDamagedKey } from '../parse/text';

/**
 * The page's text per column (the SoR layer: verbatim strings under column names), derived
 * from `page.raw` with the same label mapping as `values`; absent columns are null.
 * `num_ano_a0` holds the year label printed first on the page.
 */
export function columnTexts(page: DetailPage): Record<string, string | null> {
  const fields: readonly FieldSpec[] = page.kind === 'fii' ? FII_FIELDS : ACAO_FIELDS;
  const byKey = new Map(fields.map((f) => [labelKey(f.label), f]));
  const out: Record<string, string | null> = {};
  for (const f of fields) {
    out[f.column] = null;
    if (f.column3m) out[f.column3m] = null;
  }
  for (const column of [...YEAR_COLUMNS, YEAR_OF_A0_COLUMN]) out[column] = null;
  const a0 = page.values.num_ano_a0;
  for (const [rawLabel, text] of Object.entries(page.raw)) {
    const repeat = /#(\d+)$/.exec(rawLabel);
    const label = repeat ? rawLabel.slice(0, repeat.index) : rawLabel;
    const key = labelKey(label);
    if (/^\d{4}$/.test(key)) {
      const offset = a0 === null ? -1 : a0 - Number(key);
      if (!repeat && offset >= 0 && offset < YEAR_COLUMNS.length) out[YEAR_COLUMNS[offset]] = text;
      continue;
    }
    const field = byKey.get(key) ?? byKey.get(matchDamagedKey(key, byKey.keys()) ?? '');
    if (!field) continue;
    const column = !repeat ? field.column : repeat[1] === '2' ? field.column3m : undefined;
    if (column) out[column] = text;
  }
  if (a0 !== null) out[YEAR_OF_A0_COLUMN] = String(a0);
  return out;
}
