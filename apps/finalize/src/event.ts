import type { TableKey } from '@b3lake/lake';
import { DAILY_TABLES, assertAnomesdia } from '@b3lake/pipeline';

/** Resolve the business date once, at the start of the workflow; no date → today in America/Sao_Paulo. */
export interface ResolveEvent {
  resolve: true;
  date?: string | null;
}

/** Finalize these tables of D (the workflow: SoR+SoT per kind in parallel, then Spec and the rest). */
export interface TablesEvent {
  anomesdia: number;
  tables?: TableKey[];
}

export type FinalizeEvent = ResolveEvent | TablesEvent;

/** An event of neither shape; the state machine should not retry it. */
export class InvalidEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

/** Checks the event before any work: dates throw InvalidDateError, anything else InvalidEventError. */
export function parseEvent(
  event: unknown,
): { resolve: true; date?: string } | { resolve: false; anomesdia: number; tables: readonly TableKey[] } {
  if (typeof event !== 'object' || event === null)
    throw new InvalidEventError(
      `finalize expects { resolve: true, date? } or { anomesdia, tables? }, got ${JSON.stringify(event)}`,
    );
  const e = event as Record<string, unknown>;
  if (e['resolve'] === true) return { resolve: true, date: (e['date'] ?? undefined) as string | undefined };
  if (e['anomesdia'] === undefined || e['anomesdia'] === null)
    throw new InvalidEventError(
      'finalize needs anomesdia (yyyymmdd, e.g. 20261127), or resolve: true to resolve the business date',
    );
  const anomesdia = assertAnomesdia(e['anomesdia']);
  const tables = e['tables'] ?? DAILY_TABLES;
  if (!Array.isArray(tables) || tables.length === 0 || tables.some((t) => !DAILY_TABLES.includes(t as TableKey))) {
    throw new InvalidEventError(
      `finalize tables must be a non-empty list of ${DAILY_TABLES.join(', ')}; got ${JSON.stringify(tables)}`,
    );
  }
  return { resolve: false, anomesdia, tables: tables as TableKey[] };
}
