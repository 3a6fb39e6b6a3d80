import type { AssetKind, Catalog, FixedWidthWriter, Layer, ObjectStore, SqlEngine } from '@b3lake/lake';
import type { FetchedB3, FetchedPage, PortfolioRequest, RequestOptions } from '@b3lake/scraper';

/** The Fundamentus pages a run needs (FundamentusClient satisfies it). */
export interface FundamentusSource {
  fetchListingPage(kind: AssetKind): Promise<FetchedPage>;
  /** `options.deadline`/`signal` bound the whole fetch, retries included (a Lambda must answer before its timeout). */
  fetchDetailPage(ticker: string, options?: RequestOptions): Promise<FetchedPage>;
  /** The URL fetchDetailPage requests (recorded for a page restored from its archive). */
  detailUrl?(ticker: string): string;
  /** A stock's or FII's dividend page: only the proventos step needs it. */
  fetchProventosPage?(ticker: string, kind: AssetKind, options?: RequestOptions): Promise<FetchedPage>;
}

/** The B3 responses a run needs (B3Client satisfies it). */
export interface B3Source {
  fetchPortfolioDay(request?: PortfolioRequest): Promise<FetchedB3>;
}

/** B3's COTAHIST files (CotahistClient satisfies it). */
export interface HistorySource {
  download(
    file: string,
    options?: RequestOptions,
  ): Promise<{ url: string; body: AsyncIterable<Uint8Array>; size?: number; cancel(): Promise<void> }>;
}

export interface Clock {
  now(): Date;
}

/** `acoes` or `fiis`: the lake's ASSET_KINDS (@b3lake/lake) describe each. */
export type { AssetKind };
/**
 * The lake's vocabulary the ports speak (asset kinds, layers), re-exported for adapters that may
 * only load @b3lake/lake lazily (aws-runtime imports its S3, Glue and SQS entry points on demand).
 */
export { ASSET_KINDS, ASSET_KIND_IDS, LAYERS, isAssetKind } from '@b3lake/lake';

/** One unit of extraction work: a ticker of a business date (the SQS message body on AWS, kept as is). */
export interface ExtractJob {
  ticker: string;
  kind: AssetKind;
  anomesdia: number;
}

/** Where list puts one job per ticker (in memory locally, SQS on AWS). */
export interface JobQueue {
  send(jobs: readonly ExtractJob[]): Promise<void>;
}

/** Everything a step may touch; local and AWS runs differ only in these adapters. */
export interface PipelineContext {
  stores: (layer: Layer) => ObjectStore;
  catalog: Catalog;
  sql: SqlEngine;
  clock: Clock;
  fundamentus: FundamentusSource;
  b3: B3Source;
  /** COTAHIST downloads: only the history steps need it. */
  history?: HistorySource;
  /** Writes COTAHIST records into parquet (DuckDB locally, hyparquet in Lambda): only the history steps need it. */
  fixedWidth?: FixedWidthWriter;
}

export const systemClock: Clock = { now: () => new Date() };
