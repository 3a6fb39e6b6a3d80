import { walkLabels, type ColumnTexts, type DetailPage } from './detail-parser';

/**
 * The page's text per column (the SoR layer: verbatim strings under column names); absent
 * columns are null, `num_ano_a0` holds the year label printed first. These are the texts
 * `parseDetailPage` typed `values` from, in the same pass; a copy of a page that lost them
 * (JSON, `{ ...page }`) gets them again from `raw` by the same walk.
 */
export function columnTexts(page: DetailPage): ColumnTexts {
  if (page.texts) return page.texts;
  const pairs = Object.entries(page.raw).map(([label, value]) => ({ label: label.replace(/#\d+$/, ''), value }));
  // `raw` lists year labels first (JavaScript orders integer-like keys), so a0 comes from values.
  const a0 = page.values.num_ano_a0 ?? undefined;
  return walkLabels(page.kind, pairs, `detalhes.php ${page.ticker}`, a0).texts;
}
