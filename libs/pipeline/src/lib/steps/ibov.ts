import { TABLES, leadingPartitionPrefix, overwritePartition, table, type Row } from '@b3lake/lake';
import { decodeBody, parsePortfolioJson } from '@b3lake/scraper';
import { PortfolioWithoutDateError } from '../errors';
import { ibovRefineSql } from '../sql';
import type { PipelineContext } from '../ports';
import type { RunDate } from './start';
import { archive, b3ArchiveKey } from './archive';

export interface IbovResult {
  date: string;
  rawRows: number;
  refinedRows: number;
}

/** B3 day portfolio → raw table (verbatim, partition `date`) → refine SQL → REFINED (date, ticker). */
export async function ibovStep(ctx: PipelineContext, run: RunDate, index = 'IBOV'): Promise<IbovResult> {
  const ingested = await ingestIbov(ctx, run, index);
  const refinedRows = await refineIbov(ctx, ingested.date);
  await ctx.catalog.refresh(TABLES);
  return { ...ingested, refinedRows };
}

/** Fetches the day portfolio, archives it and writes the raw table (on AWS the refine runs in Glue). */
export async function ingestIbov(
  ctx: PipelineContext,
  run: RunDate,
  index = 'IBOV',
): Promise<{ date: string; rawRows: number; key: string }> {
  const fetched = await ctx.b3.fetchPortfolioDay({ index, language: 'pt-br' });
  await archive(ctx.stores('landing'), b3ArchiveKey(run.anomesdia, `GetPortfolioDay_${index}`), fetched.body);
  // Parsing validates every number and gives the portfolio's own date; the raw table keeps B3's text.
  const portfolio = parsePortfolioJson(fetched.body, { language: 'pt-br', index });
  if (!portfolio.date) throw new PortfolioWithoutDateError(index);
  const json = JSON.parse(decodeBody(fetched.body)) as {
    header: Record<string, unknown>;
    results: Record<string, unknown>[];
  };
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const raw: Row[] = json.results.map((r) => ({
    cod: text(r['cod']),
    asset: text(r['asset']),
    type: text(r['type']),
    part: text(r['part']),
    theoricalQty: text(r['theoricalQty']),
    segment: text(r['segment']),
    header_date: text(json.header['date']),
    header_reductor: text(json.header['reductor']),
    header_theoricalQty: text(json.header['theoricalQty']),
    index_code: index,
    language: 'pt-br',
    ts_extracao: fetched.fetchedAt,
  }));
  const rawDef = table('ibov_raw');
  const key = await overwritePartition(ctx.stores(rawDef.layer), rawDef, { date: portfolio.date }, raw);
  await ctx.catalog.addPartitions?.(rawDef, [{ date: portfolio.date }]);
  return { date: portfolio.date, rawRows: raw.length, key };
}

/** Runs ibov_refine.sql over one raw day and writes REFINED partitioned by date and ticker. */
export async function refineIbov(ctx: PipelineContext, date: string): Promise<number> {
  const rawDef = table('ibov_raw');
  const refinedDef = table('ibov_refined');
  const rows = await ctx.sql.transform(ibovRefineSql(), { ibov_raw: { table: rawDef, partition: { date } } });
  const store = ctx.stores(refinedDef.layer);
  const keep = new Set<string>();
  const partitions: { date: string; ticker: string }[] = [];
  for (const { date: rowDate, ticker, ...rest } of rows) {
    const partition = { date: String(rowDate), ticker: String(ticker) };
    keep.add(await overwritePartition(store, refinedDef, partition, [rest]));
    partitions.push(partition);
  }
  await ctx.catalog.addPartitions?.(refinedDef, partitions);
  // A ticker that left the portfolio since the last run of this date loses its partition.
  const stale = (await store.list(leadingPartitionPrefix(refinedDef, { date })))
    .map((o) => o.key)
    .filter((k) => !keep.has(k));
  await store.delete(stale);
  return rows.length;
}
