import type { CellType } from '@b3lake/columns';
import { LayoutChangedError } from '../errors';
import { parseDate, parseDecimal, parseInteger, parsePercent } from './numbers';
import { cleanText } from './text';

export type { CellType };

/** Converts one cell's text to its column type; the field name is carried into any error. */
export function typeCell(type: CellType, text: string, field: string): number | string | null {
  switch (type) {
    case 'decimal':
      return parseDecimal(text, field);
    case 'percent':
      return parsePercent(text, field);
    case 'integer':
    case 'year':
      return parseInteger(text, field);
    case 'date':
      return parseDate(text, field);
    case 'text': {
      const clean = cleanText(text);
      return clean === '' || clean === '-' ? null : clean;
    }
    default:
      throw new LayoutChangedError('cell', [], `unknown cell type ${String(type)}`);
  }
}
