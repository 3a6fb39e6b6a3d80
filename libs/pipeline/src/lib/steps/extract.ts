import { createHash } from 'node:crypto';
import { PRICE } from '@b3lake/columns';
import { kindOfPage, table, writeObject, type AssetKind, type Row } from '@b3lake/lake';
import { parseDetailPage, type DetailPage, type RequestOptions } from '@b3lake/scraper';
import { sorRow } from '../rows';
import type { ExtractJob, PipelineContext } from '../ports';
import { archive, pageArchiveKey } from './archive';

/** A ticker whose SoR row landed: the item the per-ticker steps (prepare, specialize) work on. */
export interface Extracted {
  ticker: string;
  kind: AssetKind;
  anomesdia: number;
  /** The page's "Data últ cot" (ISO), when it has one. */
  quoteDate?: string;
}

/**
 * Fetches one detail page, archives its exact bytes (gzip) before parsing, then writes its SoR
 * row. `options` (deadline, abort signal) bound the fetch, retries included.
 */
export async function extractStep(ctx: PipelineContext, job: ExtractJob, options?: RequestOptions): Promise<Extracted> {
  const page = await ctx.fundamentus.fetchDetailPage(job.ticker, options);
  const archiveKey = pageArchiveKey(job.anomesdia, job.kind, job.ticker);
  await archive(ctx.stores('landing'), archiveKey, page.body);
  const parsed = parseDetailPage(page.body, { ticker: job.ticker });
  await writeSor(ctx, job.anomesdia, parsed, { fetchedAt: page.fetchedAt, url: page.url, archiveKey, body: page.body });
  return extracted(parsed, job.anomesdia);
}

/** Where a page came from, as the raw-page index records it. */
export interface PageSource {
  fetchedAt: Date;
  url: string;
  archiveKey: string;
  body: Uint8Array;
}

/** The raw-page index row of an archived page (the one place its columns are spelled). */
function rawPageRow(page: DetailPage, source: PageSource): Row {
  return {
    codigo_ticker: page.ticker,
    tipo_ativo: page.kind,
    nome_objeto: source.archiveKey,
    url: source.url,
    num_bytes: source.body.byteLength,
    sha256: createHash('sha256').update(source.body).digest('hex'),
    ts_extracao: source.fetchedAt,
  };
}

/** The archive key, URL and fetch time an index row recorded (what reprocess needs to rebuild the same SoR rows). */
export function pageSourceOf(row: Row): { archiveKey: string; url?: string; fetchedAt?: Date } {
  return {
    archiveKey: String(row['nome_objeto']),
    url: typeof row['url'] === 'string' ? row['url'] : undefined,
    fetchedAt: row['ts_extracao'] instanceof Date ? row['ts_extracao'] : undefined,
  };
}

/** Writes the SoR row and the raw-page index row of one parsed page (deterministic keys: the ticker). */
export async function writeSor(
  ctx: PipelineContext,
  anomesdia: number,
  page: DetailPage,
  source: PageSource,
): Promise<void> {
  const partition = { anomesdia_exec: anomesdia };
  const sor = table(kindOfPage(page.kind).tables.sor);
  const index = table('raw_pages');
  await writeObject(ctx.stores(sor.layer), sor, partition, page.ticker, [sorRow(page, source.fetchedAt)]);
  await writeObject(ctx.stores(index.layer), index, partition, page.ticker, [rawPageRow(page, source)]);
}

/** "Data últ cot": the date of the page's last quote, the source's own date. */
export const QUOTE_DATE = PRICE.filter((field) => field.type === 'date')[0].column;

/** What a landed page tells the run: its ticker and kind, and the page's own quote date. */
export function extracted(parsed: ReturnType<typeof parseDetailPage>, anomesdia: number): Extracted {
  const quoteDate = (parsed.values as Record<string, unknown>)[QUOTE_DATE];
  return {
    ticker: parsed.ticker,
    kind: kindOfPage(parsed.kind).id,
    anomesdia,
    quoteDate: typeof quoteDate === 'string' ? quoteDate : undefined,
  };
}
