/**
 * Header → column mapping of the listing pages. The columns are declared once, in
 * @b3lake/columns (a listing column that the detail page has too reuses its declaration).
 */
import { ACOES_LISTING_COLUMNS, FIIS_LISTING_COLUMNS, type CellType, type ListingField } from '@b3lake/columns';

export { ACOES_LISTING_COLUMNS, FIIS_LISTING_COLUMNS };

/** A listing column, matched by its header text (never by its index). */
export type ListingColumn = ListingField;

type ValueOf<T extends CellType> = T extends 'text' | 'date' ? string | null : number | null;
type ColumnsOf<C extends readonly ListingColumn[]> = { [S in C[number] as S['column']]: ValueOf<S['type']> };

/** Typed listing values of a stock; columns absent from a page's version are null. */
export type AcoesListingValues = ColumnsOf<typeof ACOES_LISTING_COLUMNS>;
/** Typed listing values of a FII. */
export type FiisListingValues = ColumnsOf<typeof FIIS_LISTING_COLUMNS>;
