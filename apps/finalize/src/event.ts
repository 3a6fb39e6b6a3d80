import type { TableKey } from '@b3lake/lake';
import { parseOrThrow } from '@b3lake/aws-runtime';
import { DAILY_TABLES, assertAnomesdia } from '@b3lake/pipeline';
import * as z from 'zod/mini';

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

/** Record the finalized day in the run manifest (the workflow's last step); startedAt is the execution's start. */
export interface RecordEvent {
  record: true;
  anomesdia: number;
  startedAt: string;
}

export type FinalizeEvent = ResolveEvent | TablesEvent | RecordEvent;

/** An event of neither shape; the state machine should not retry it. */
export class InvalidEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

const expected = (text: string) => (issue: { input?: unknown }) =>
  `expected ${text}, got ${JSON.stringify(issue.input)}`;
const TABLES = DAILY_TABLES.join(', ');

/** The two shapes, told apart by `resolve`. A present anomesdia is checked by assertAnomesdia (InvalidDateError). */
export const FinalizeEventSchema = z.discriminatedUnion(
  'resolve',
  [
    z.object({
      resolve: z.literal(true),
      date: z.optional(z.nullable(z.string({ error: expected('yyyy-mm-dd or null') }))),
    }),
    z.object({
      resolve: z.optional(z.literal(false)),
      anomesdia: z.unknown().check(
        z.refine((v) => v !== undefined && v !== null, {
          error: 'finalize needs anomesdia (yyyymmdd, e.g. 20261127), or resolve: true to resolve the business date',
        }),
      ),
      tables: z._default(
        z
          .array(z.enum(DAILY_TABLES as readonly TableKey[], { error: expected(`one of ${TABLES}`) }), {
            error: expected(`a non-empty list of ${TABLES}`),
          })
          .check(z.minLength(1, { error: expected(`a non-empty list of ${TABLES}`) })),
        [...DAILY_TABLES],
      ),
    }),
  ],
  { error: expected('{ resolve: true, date? } or { anomesdia, tables? }') },
);

export const RecordEventSchema = z.object({
  record: z.literal(true),
  anomesdia: z.number({ error: expected('anomesdia as yyyymmdd') }),
  startedAt: z.iso.datetime({ error: expected('startedAt as an ISO timestamp ($$.Execution.StartTime)') }),
});

/** Checks the event before any work: dates throw InvalidDateError, anything else InvalidEventError. */
export function parseEvent(
  event: unknown,
):
  | { resolve: true; date?: string }
  | { resolve: false; anomesdia: number; tables: readonly TableKey[] }
  | { record: true; anomesdia: number; startedAt: Date } {
  const invalid = (message: string) => new InvalidEventError(`finalize event: ${message}`);
  if (typeof event === 'object' && event !== null && 'record' in event) {
    const r = parseOrThrow(RecordEventSchema, event, invalid);
    return { record: true, anomesdia: assertAnomesdia(r.anomesdia), startedAt: new Date(r.startedAt) };
  }
  const e = parseOrThrow(FinalizeEventSchema, event, invalid);
  if (e.resolve) return { resolve: true, date: e.date ?? undefined };
  return { resolve: false, anomesdia: assertAnomesdia(e.anomesdia), tables: e.tables };
}
