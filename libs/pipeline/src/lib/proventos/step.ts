import { gzipSync } from 'node:zlib';
import {
  ASSET_KINDS,
  ObjectNotFoundError,
  PROVENTOS_TABLE_COLUMNS as C,
  PROVENTOS_TICKER_KEY,
  objectKey,
  readObject,
  safeSegment,
  table,
  writeObject,
  type AssetKind,
  type Row,
} from '@b3lake/lake';
import { parseProventosPage, type Provento, type RequestOptions } from '@b3lake/scraper';
import { PipelineError } from '../errors';
import type { PipelineContext } from '../ports';

export const PROVENTOS = table('proventos');
/** Each ticker's history is one object in its partition. */
const STEM = 'proventos';

/** A context whose Fundamentus source cannot fetch dividend pages. */
export class ProventosNotSupportedError extends PipelineError {
  readonly code = 'PROVENTOS_NOT_SUPPORTED';
  constructor() {
    super('this pipeline context cannot fetch dividend pages (its Fundamentus source has no fetchProventosPage)');
    this.name = 'ProventosNotSupportedError';
  }
}

/** A dividend page of the other kind (a FII's page asked as a stock's, or the reverse). */
export class ProventosKindMismatchError extends PipelineError {
  readonly code = 'PROVENTOS_KIND_MISMATCH';
  constructor(
    readonly ticker: string,
    readonly expected: string,
    readonly served: string,
  ) {
    super(`${ticker}: asked for a${expected === 'acao' ? ' stock' : ' FII'} dividend page, got a ${served} page`);
    this.name = 'ProventosKindMismatchError';
  }
}

/** Landing key of an archived dividend page: `fundamentus-proventos/anomesdia_exec=D/<kind>/<TICKER>.html.gz`. */
export function proventosArchiveKey(anomesdia: number, kind: AssetKind, ticker: string): string {
  const day = safeSegment('date', anomesdia);
  return `fundamentus-proventos/anomesdia_exec=${day}/${kind}/${safeSegment('ticker', ticker)}.html.gz`;
}

/** A distribution's key: its own fields, so it stays the same when newer rows appear above it. */
function baseKey(p: Provento): string {
  return [p.dataCom, p.tipo, p.valor, p.porQuantasAcoes, p.dataPagamento ?? '-'].join('|');
}

/**
 * The table's rows of one page, in page order. Exact repeats (same date, type, value, base and
 * payment date) are numbered from the oldest (the page's bottom), so a new row at the top never
 * renumbers the old ones.
 */
export function proventosRows(ticker: string, kind: AssetKind, list: readonly Provento[], fetchedAt: Date): Row[] {
  const seen = new Map<string, number>();
  const ids: string[] = new Array(list.length);
  for (let i = list.length - 1; i >= 0; i--) {
    const key = baseKey(list[i]);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    ids[i] = n === 1 ? key : `${key}#${n}`;
  }
  return list.map((p, i) => ({
    [C.id]: ids[i],
    [C.ticker]: ticker,
    [C.kind]: ASSET_KINDS[kind].pageKind,
    [C.exDate]: p.dataCom,
    [C.paymentDate]: p.dataPagamento,
    [C.type]: p.tipo,
    [C.category]: p.categoria,
    [C.value]: p.valor,
    [C.shareBase]: p.porQuantasAcoes,
    [C.perShare]: p.valor / p.porQuantasAcoes,
    [C.fetchedAt]: fetchedAt,
  }));
}

export interface ProventosOutcome {
  ticker: string;
  kind: AssetKind;
  rows: number;
  /** Row keys new since the previous snapshot of this ticker (all of them on a first fetch). */
  added: string[];
  /** Row keys of the previous snapshot that the page no longer shows. */
  removed: string[];
  /** Whether a previous snapshot existed. */
  hadHistory: boolean;
  warnings: string[];
}

/**
 * Fetches one ticker's dividend page, archives it, and replaces the ticker's whole history in
 * `tbsot_fundamentus_proventos` (idempotent), reporting the rows added and removed since the
 * previous snapshot.
 */
export async function proventosStep(
  ctx: PipelineContext,
  job: { ticker: string; kind: AssetKind; anomesdia: number },
  options: RequestOptions = {},
): Promise<ProventosOutcome> {
  const fetch = ctx.fundamentus.fetchProventosPage?.bind(ctx.fundamentus);
  if (!fetch) throw new ProventosNotSupportedError();
  const page = await fetch(job.ticker, job.kind, options);
  await ctx.stores('landing').put(proventosArchiveKey(job.anomesdia, job.kind, job.ticker), gzipSync(page.body));
  return storeProventos(ctx, job, page.body, page.fetchedAt);
}

/** Parses a dividend page and replaces the ticker's history (also used to rebuild from an archived page). */
export async function storeProventos(
  ctx: PipelineContext,
  job: { ticker: string; kind: AssetKind },
  body: Uint8Array,
  fetchedAt: Date,
): Promise<ProventosOutcome> {
  const parsed = parseProventosPage(body, { ticker: job.ticker });
  const expected = ASSET_KINDS[job.kind].pageKind;
  if (parsed.kind !== expected) throw new ProventosKindMismatchError(job.ticker, expected, parsed.kind);
  const rows = proventosRows(job.ticker, job.kind, parsed.distributions, fetchedAt);
  const store = ctx.stores(PROVENTOS.layer);
  const partition = { [PROVENTOS_TICKER_KEY]: job.ticker };
  const before = await readObject(store, PROVENTOS, objectKey(PROVENTOS, partition, STEM)).catch((error: unknown) => {
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  });
  const oldIds = new Set((before ?? []).map((r) => String(r[C.id])));
  const newIds = new Set(rows.map((r) => String(r[C.id])));
  await writeObject(store, PROVENTOS, partition, STEM, rows);
  // Every time, not only for a new ticker: a retry after a failed registration must still register it
  // (Glue's AlreadyExists is ignored by the adapter).
  await ctx.catalog.addPartitions?.(PROVENTOS, [partition]);
  return {
    ticker: job.ticker,
    kind: job.kind,
    rows: rows.length,
    added: [...newIds].filter((id) => !oldIds.has(id)),
    removed: [...oldIds].filter((id) => !newIds.has(id)),
    hadHistory: !!before,
    warnings: parsed.warnings ?? [],
  };
}
