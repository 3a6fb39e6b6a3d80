import {
  ASSET_KINDS,
  ASSET_KIND_IDS,
  RUN_COLUMNS,
  listPartitions,
  readPartition,
  table,
  writeObject,
  type Layer,
  type ObjectStore,
  type Row,
} from '@b3lake/lake';
import type { PipelineContext } from '../ports';
import { QUOTE_DATE } from './extract';
import { fromAnomesdia } from './start';

/** How a run ended: every listed ticker landed / some did not / stopped by a signal / an error stopped it. */
export const RUN_STATUSES = ['complete', 'partial', 'interrupted', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** One run of the daily pipeline, as the run manifest (`db_b3lake_ops.tbops_execucoes`) keeps it. */
export interface RunRecord {
  id: string;
  businessDate: string;
  startedAt: Date;
  endedAt: Date;
  status: RunStatus;
  kinds: readonly string[];
  tickers: { listed: number; landed: number; fromArchive: number; deadLettered: number };
  /** The dividend pages (proventos kind): histories landed and dead-lettered, rows added and removed. */
  dividends?: { landed: number; deadLettered: number; rowsAdded: number; rowsRemoved: number };
  /** The sources' own dates: the latest "Data últ cot" read, the IBOV portfolio's date. */
  sourceDates: { fundamentus?: string; ibov?: string };
  warnings: readonly string[];
  version: string;
  origin: 'local' | 'aws';
}

const RUNS = table('runs');

/** `20221124-013000123-local`: sortable by start time, unique per origin, safe as a file name. */
export function runId(startedAt: Date, origin: RunRecord['origin']): string {
  const compact = startedAt.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '').replace('Z', '');
  return `${compact}-${origin}`;
}

const anomes = (isoDate: string) => Number(isoDate.slice(0, 7).replace('-', ''));

const C = RUN_COLUMNS;

function toRow(record: RunRecord): Row {
  return {
    [C.id]: record.id,
    [C.businessDate]: record.businessDate,
    [C.startedAt]: record.startedAt,
    [C.endedAt]: record.endedAt,
    [C.status]: record.status,
    [C.kinds]: record.kinds.join(','),
    [C.listed]: record.tickers.listed,
    [C.landed]: record.tickers.landed,
    [C.fromArchive]: record.tickers.fromArchive,
    [C.deadLettered]: record.tickers.deadLettered,
    [C.dividendsLanded]: record.dividends?.landed ?? null,
    [C.dividendsDeadLettered]: record.dividends?.deadLettered ?? null,
    [C.dividendRowsAdded]: record.dividends?.rowsAdded ?? null,
    [C.dividendRowsRemoved]: record.dividends?.rowsRemoved ?? null,
    [C.fundamentusDate]: record.sourceDates.fundamentus ?? null,
    [C.ibovDate]: record.sourceDates.ibov ?? null,
    [C.warnings]: JSON.stringify(record.warnings),
    [C.version]: record.version,
    [C.origin]: record.origin,
  };
}

function fromRow(row: Row): RunRecord {
  const text = (name: string) => (row[name] === null || row[name] === undefined ? undefined : String(row[name]));
  const count = (name: string) => Number(row[name] ?? 0);
  return {
    id: String(row[C.id]),
    businessDate: String(row[C.businessDate]),
    startedAt: row[C.startedAt] as Date,
    endedAt: row[C.endedAt] as Date,
    status: String(row[C.status]) as RunStatus,
    kinds: String(row[C.kinds] ?? '')
      .split(',')
      .filter(Boolean),
    tickers: {
      listed: count(C.listed),
      landed: count(C.landed),
      fromArchive: count(C.fromArchive),
      deadLettered: count(C.deadLettered),
    },
    // Rows written before the dividend columns existed have none: undefined, as a run without dividends.
    ...(row[C.dividendsLanded] !== null && row[C.dividendsLanded] !== undefined
      ? {
          dividends: {
            landed: count(C.dividendsLanded),
            deadLettered: count(C.dividendsDeadLettered),
            rowsAdded: count(C.dividendRowsAdded),
            rowsRemoved: count(C.dividendRowsRemoved),
          },
        }
      : {}),
    sourceDates: { fundamentus: text(C.fundamentusDate), ibov: text(C.ibovDate) },
    warnings: JSON.parse(String(row[C.warnings] ?? '[]')) as string[],
    version: String(row[C.version] ?? ''),
    origin: String(row[C.origin]) as RunRecord['origin'],
  };
}

/**
 * Writes a run's row to the manifest: its own object (key = run id), so runs never overwrite each
 * other, and registers its partition where the catalog needs it (Glue).
 */
export async function recordRun(ctx: PipelineContext, record: RunRecord): Promise<string> {
  const partition = { anomes_exec: anomes(record.businessDate) };
  const key = await writeObject(ctx.stores(RUNS.layer), RUNS, partition, record.id, [toRow(record)]);
  await ctx.catalog.addPartitions?.(RUNS, [partition]);
  return key;
}

/**
 * The manifest row of a day finalized on AWS, read back from the finalized tables: listed = the
 * listings' rows, landed = the SoR rows, dead-lettered = listed − landed (a ticker that did not
 * land after the queues drained went to its DLQ), the latest "Data últ cot" of the SoT rows.
 */
export async function recordFinalizedDay(
  ctx: PipelineContext,
  anomesdia: number,
  startedAt: Date,
  version: string,
): Promise<RunRecord> {
  const partition = { anomesdia_exec: anomesdia };
  const rowsOf = async (key: Parameters<typeof table>[0]) => {
    const def = table(key);
    return readPartition(ctx.stores(def.layer), def, partition);
  };
  let listed = 0;
  let landed = 0;
  let latestQuote: string | undefined;
  for (const kind of ASSET_KIND_IDS) {
    const { summary, sor, sot } = ASSET_KINDS[kind].tables;
    listed += (await rowsOf(summary)).length;
    landed += (await rowsOf(sor)).length;
    for (const row of await rowsOf(sot)) {
      const date = row[QUOTE_DATE];
      if (typeof date === 'string' && (!latestQuote || date > latestQuote)) latestQuote = date;
    }
  }
  const businessDate = fromAnomesdia(anomesdia);
  const warnings =
    latestQuote && latestQuote !== businessDate
      ? [`Fundamentus' latest quote is of ${latestQuote}, not of the business date ${businessDate}`]
      : [];
  const record: RunRecord = {
    id: runId(startedAt, 'aws'),
    businessDate,
    startedAt,
    endedAt: ctx.clock.now(),
    // No listing rows means the day's list step failed: nothing was extracted.
    status: listed === 0 ? 'failed' : landed >= listed ? 'complete' : 'partial',
    kinds: ASSET_KIND_IDS,
    tickers: { listed, landed, fromArchive: 0, deadLettered: Math.max(0, listed - landed) },
    sourceDates: { fundamentus: latestQuote },
    warnings,
    version,
    origin: 'aws',
  };
  await recordRun(ctx, record);
  return record;
}

/** The runs of a business date (every run when none is given), oldest first. */
export async function readRuns(stores: (layer: Layer) => ObjectStore, businessDate?: string): Promise<RunRecord[]> {
  const store = stores(RUNS.layer);
  const months = businessDate ? [{ anomes_exec: anomes(businessDate) }] : await listPartitions(store, RUNS);
  const rows = (await Promise.all(months.map((month) => readPartition(store, RUNS, month)))).flat();
  return rows
    .map(fromRow)
    .filter((run) => !businessDate || run.businessDate === businessDate)
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.id.localeCompare(b.id));
}
