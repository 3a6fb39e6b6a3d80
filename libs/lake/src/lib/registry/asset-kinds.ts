import { DETAIL_PAGES } from '@b3lake/columns';
import { UnknownAssetKindError } from '../errors';
import type { TableKey } from './tables';

/**
 * The kinds of asset the lake keeps, one descriptor each: the one place that says which listing
 * page, tables and scraper page kind belong to a kind. Steps, queues, the CLI and the stack loop
 * over ASSET_KINDS instead of switching on `'acoes' | 'fiis'`.
 */
export type AssetKind = 'acoes' | 'fiis';

/** The scraper's kind of one parsed detail page (`DetailPage.kind` of @b3lake/scraper). */
export type PageKind = 'acao' | 'fii';

export interface AssetKindDef {
  /**
   * How the kind is named outside: extract jobs (`{"ticker","kind","anomesdia"}`), SQS queues
   * (`QUEUE_ACOES_URL`), CLI flags, landing folders, dead letters.
   */
  readonly id: AssetKind;
  /** The scraper's kind of this kind's detail pages; also the `tipo_ativo` of the raw-page index. */
  readonly pageKind: PageKind;
  /** The Fundamentus listing page of the kind, without `.php` (archived as `listings/<listing>.html.gz`). */
  readonly listing: string;
  /** Its tables: the listing's summary, the detail pages as printed (SoR) and typed (SoT, derived from SoR). */
  readonly tables: { readonly summary: TableKey; readonly sor: TableKey; readonly sot: TableKey };
  /** The column of its SoR and SoT tables that holds the ticker (their unique key). */
  readonly tickerColumn: string;
  /** `tipo_ativo` of its rows in the Spec table. */
  readonly specLabel: string;
  /** The kind in a sentence for people (`4 ações`, `2 FIIs`). */
  readonly label: string;
}

export const ASSET_KINDS: { readonly [K in AssetKind]: AssetKindDef & { readonly id: K } } = {
  acoes: {
    id: 'acoes',
    pageKind: 'acao',
    listing: 'resultado',
    tables: { summary: 'summary_acoes', sor: 'sor_acoes', sot: 'sot_acoes' },
    tickerColumn: DETAIL_PAGES.acao.ticker.column,
    specLabel: 'Ação',
    label: 'ações',
  },
  fiis: {
    id: 'fiis',
    pageKind: 'fii',
    listing: 'fii_resultado',
    tables: { summary: 'summary_fiis', sor: 'sor_fiis', sot: 'sot_fiis' },
    tickerColumn: DETAIL_PAGES.fii.ticker.column,
    specLabel: 'Fundo Imobiliário',
    label: 'FIIs',
  },
};

/** Every kind, in a fixed order (stocks first). */
export const ASSET_KIND_IDS: readonly AssetKind[] = Object.keys(ASSET_KINDS) as AssetKind[];

export function isAssetKind(value: unknown): value is AssetKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ASSET_KINDS, value);
}

/** The descriptor of a kind given from outside (a job, a flag); throws UnknownAssetKindError. */
export function assetKind(id: unknown): AssetKindDef {
  if (!isAssetKind(id)) throw new UnknownAssetKindError(id, ASSET_KIND_IDS);
  return ASSET_KINDS[id];
}

/** The kind of a parsed detail page (the scraper's `'acao' | 'fii'`): the one mapping between the two names. */
export function kindOfPage(pageKind: PageKind): AssetKindDef {
  const def = ASSET_KIND_IDS.map((id) => ASSET_KINDS[id]).find((k) => k.pageKind === pageKind);
  if (!def) throw new UnknownAssetKindError(pageKind, ASSET_KIND_IDS);
  return def;
}

/** The kind a table belongs to (its summary, SoR or SoT), or undefined for tables shared by every kind. */
export function kindOfTable(key: TableKey): AssetKindDef | undefined {
  return ASSET_KIND_IDS.map((id) => ASSET_KINDS[id]).find((k) => Object.values(k.tables).includes(key));
}
