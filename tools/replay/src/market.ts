import { parseListingPage } from '@b3lake/scraper';
import { detailTemplate, listingCells, templateValues, withDetailValues, type DetailTemplate } from './page-values';
import { toCp1252 } from './page-text';
import {
  listingHtml,
  seededRandom,
  syntheticNames,
  syntheticTicker,
  tickerSeed,
  type ListingRowCells,
} from './synthetic';

export type ListingKind = 'acoes' | 'fiis';

export interface MarketOptions {
  /** A market of N synthetic tickers (70% stocks, 30% FIIs), each a recorded page with its own values. */
  syntheticTickers?: number;
  /** The recorded tickers get their own values too, their quote kept (their pages copy PETR4's and HGLG11's). */
  ownValues?: boolean;
  /** ISO date written as every made page's "Data últ cot" (the recorded FII pages say 2026-07-03). */
  quoteDate?: string;
  seed: number;
}

export interface Market {
  listings: Record<ListingKind, Buffer>;
  /** Tickers of the synthetic market (empty when not synthetic). */
  tickers: Record<ListingKind, string[]>;
  /** The page served for `ticker` when the market makes it, else undefined (the recorded page is served). */
  detailPage(ticker: string): Buffer | undefined;
}

/** Which recorded page a served ticker is made from. */
interface Plan {
  kind: ListingKind;
  template: string;
  synthetic: boolean;
}

/**
 * The market the replay server serves: the recorded listings and pages as they are, or pages
 * made from them in which every ticker has its own values (seeded by the ticker, so its listing
 * row and its detail page agree and repeat run to run).
 */
export function buildMarket(
  recorded: { listings: Record<ListingKind, Buffer>; details: ReadonlyMap<string, Buffer> },
  options: MarketOptions,
): Market {
  const templates = new Map<string, DetailTemplate | undefined>();
  const templateOf = (ticker: string): DetailTemplate | undefined => {
    if (!templates.has(ticker)) {
      const page = recorded.details.get(ticker);
      templates.set(ticker, page && detailTemplate(page));
    }
    return templates.get(ticker);
  };
  const valuesOf = (ticker: string, template: DetailTemplate, plan: Plan) =>
    templateValues(template, seededRandom(tickerSeed(ticker, options.seed)), !plan.synthetic);

  const quoteDateText = options.quoteDate
    ? { dt_ult_cot: options.quoteDate.split('-').reverse().join('/') }
    : undefined;
  const plans = new Map<string, Plan>();
  const listings = { ...recorded.listings };
  const tickers: Record<ListingKind, string[]> = { acoes: [], fiis: [] };
  const synthetic = options.syntheticTickers ?? 0;
  const counts = { acoes: Math.ceil(synthetic * 0.7), fiis: synthetic - Math.ceil(synthetic * 0.7) };
  for (const kind of ['acoes', 'fiis'] as const) {
    if (!synthetic && !options.ownValues) continue;
    const listing = parseListingPage(recorded.listings[kind]);
    const rowOf = new Map(listing.rows.map((r) => [r.ticker, r] as const));
    const entries = synthetic
      ? Array.from({ length: counts[kind] }, (_, i) => {
          const ticker = syntheticTicker(i, kind);
          const template = listing.rows[i % listing.rows.length];
          return { ticker, name: syntheticNames(ticker, kind).listing, template: template.ticker, synthetic: true };
        })
      : listing.rows.map((r) => ({ ticker: r.ticker, name: r.name, template: r.ticker, synthetic: false }));
    const rows: ListingRowCells[] = entries.map((entry) => {
      const plan: Plan = { kind, template: entry.template, synthetic: entry.synthetic };
      plans.set(entry.ticker, plan);
      const raw = rowOf.get(entry.template)?.raw ?? {};
      const template = templateOf(entry.template);
      const cells = template
        ? listingCells(kind, listing.headers, raw, valuesOf(entry.ticker, template, plan), template.notApplicable)
        : listing.headers.slice(1).map((h) => raw[h] ?? '');
      return { ticker: entry.ticker, name: entry.name, cells };
    });
    listings[kind] = toCp1252(listingHtml(kind, listing.headers, rows));
    if (synthetic) tickers[kind] = entries.map((e) => e.ticker);
  }

  return {
    listings,
    tickers,
    detailPage(ticker) {
      const plan = plans.get(ticker);
      const template = plan && templateOf(plan.template);
      if (!plan || !template) return undefined;
      const texts = { ...(plan.synthetic && syntheticNames(ticker, plan.kind).texts), ...quoteDateText };
      const html = withDetailValues(template, valuesOf(ticker, template, plan), texts);
      // Tickers are ASCII, so renaming in the Latin-1 text keeps every other byte.
      return Buffer.from(plan.synthetic ? html.split(plan.template).join(ticker) : html, 'latin1');
    },
  };
}
