import {
  ASSET_KIND_IDS,
  PipelineError,
  changeWarning,
  listStep,
  proventosDue,
  startRun,
  type AssetKind,
  type ExtractJob,
  type JobQueue,
  type PipelineContext,
  type ProventosOutcome,
} from '@b3lake/pipeline';
import * as z from 'zod/mini';
import { MissingEnvError, PROVENTOS_QUEUE_VARIABLE, type RuntimeEnv } from './env';
import { logger, metrics, MetricUnit } from './observability';
import { parseOrThrow } from './schemas';

/** What the list function is asked: the daily extraction (default) or the weekly dividend pages. */
export interface ListRequest {
  /** `extract` (the 18:45 schedule: listings → extract queues) or `proventos` (the weekly schedule). */
  kind: 'extract' | 'proventos';
  /** Business date (default today in America/Sao_Paulo). */
  date?: string;
  /**
   * proventos only: enqueue only on the last trading day of the week (proventosDue), as the
   * schedule asks; an operator leaves it out to enqueue on any trading day.
   */
  weekly: boolean;
}

/** An event the list function cannot act on: a deployment or operator error, never retried. */
export class InvalidListEventError extends PipelineError {
  readonly code = 'INVALID_LIST_EVENT';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidListEventError';
  }
}

const rule =
  (text: string) =>
  ({ input }: { input?: unknown }) =>
    `expected ${text}, got ${JSON.stringify(input)}`;

/** The list function's event: `{}` from the daily schedule, `{ kind: "proventos", weekly: true }` from the weekly. */
export const ListEventSchema = z.object(
  {
    kind: z.optional(z.enum(['extract', 'proventos'], { error: rule('"extract" or "proventos"') })),
    date: z.optional(z.string({ error: rule('an ISO date YYYY-MM-DD') })),
    weekly: z.optional(z.boolean({ error: rule('true or false') })),
  },
  { error: rule('a JSON object { kind?, date?, weekly? }') },
);

/** The event checked (null and undefined are `{}`); `weekly` belongs to the proventos kind only. */
export function parseListEvent(event: unknown): ListRequest {
  const parsed = parseOrThrow(
    ListEventSchema,
    event ?? {},
    (message) => new InvalidListEventError(`list event: ${message}`),
  );
  const kind = parsed.kind ?? 'extract';
  if (parsed.weekly !== undefined && kind !== 'proventos')
    throw new InvalidListEventError('list event: weekly: only with kind "proventos"');
  return { kind, date: parsed.date, weekly: parsed.weekly ?? false };
}

/** Sends every dividend-page job, stocks and FIIs alike, to the one proventos queue. */
export function proventosQueue(env: RuntimeEnv): JobQueue {
  return {
    send: async (jobs) => {
      if (!jobs.length) return;
      if (!env.proventosQueue) throw new MissingEnvError(PROVENTOS_QUEUE_VARIABLE);
      await new (await import('@b3lake/lake/sqs')).SqsQueue<ExtractJob>(env.proventosQueue).send(jobs);
    },
  };
}

export type ProventosEnqueueResult =
  | { kind: 'proventos'; skipped: true; businessDate: string; reason: string }
  | {
      kind: 'proventos';
      skipped?: false;
      businessDate: string;
      anomesdia: number;
      listed: Partial<Record<AssetKind, number>>;
      /** Jobs sent to the proventos queue. */
      queued: number;
      /** Kinds whose listing was the one the day's 18:45 run archived (no request to the site). */
      fromArchive: AssetKind[];
    };

/**
 * The weekly dividend run's fan-out: one job per ticker on the day's listings (both kinds) to the
 * proventos queue. The listings are the ones the day's 18:45 run archived (no request, the summary
 * tables left as they are); a day whose listing is missing fetches and archives it as that run
 * would. Skipped on a non-trading day, and with `weekly` on any day but the last trading day of
 * its week (Friday, or the day before a Friday holiday).
 */
export async function enqueueProventos(
  ctx: PipelineContext,
  env: RuntimeEnv,
  request: Pick<ListRequest, 'date' | 'weekly'>,
): Promise<ProventosEnqueueResult> {
  const run = startRun(ctx.clock, request.date);
  if (run.skipped) return { kind: 'proventos', skipped: true, businessDate: run.businessDate, reason: run.reason };
  if (request.weekly && !proventosDue(run.businessDate))
    return {
      kind: 'proventos',
      skipped: true,
      businessDate: run.businessDate,
      reason: `${run.businessDate} is not the last trading day of its week (the weekly dividend run)`,
    };
  const result = await listStep(ctx, run, proventosQueue(env), { kinds: ASSET_KIND_IDS, reuseArchived: true });
  return {
    kind: 'proventos',
    businessDate: run.businessDate,
    anomesdia: run.anomesdia,
    listed: result.listed,
    queued: result.jobs.length,
    fromArchive: result.fromArchive.sort(),
  };
}

/**
 * One ticker's history landed, as logs and metrics: an INFO line with its counts, and the metrics
 * proventosRows (rows now), proventosRowsAdded and proventosRowsRemoved. A removed row means the
 * site changed a published history: a WARN line naming the rows (the local run's warning text)
 * and proventosHistoriesChanged.
 */
export function reportProventos(outcome: ProventosOutcome, businessDate?: number): void {
  const { ticker, kind, rows, added, removed, hadHistory } = outcome;
  metrics.addMetric('proventosTickersLanded', MetricUnit.Count, 1);
  metrics.addMetric('proventosRows', MetricUnit.Count, rows);
  metrics.addMetric('proventosRowsAdded', MetricUnit.Count, added.length);
  metrics.addMetric('proventosRowsRemoved', MetricUnit.Count, removed.length);
  const where = { ticker, kind, ...(businessDate === undefined ? {} : { businessDate }) };
  logger.info('proventos landed', {
    ...where,
    rows,
    added: added.length,
    removed: removed.length,
    firstFetch: !hadHistory,
  });
  for (const warning of outcome.warnings) logger.warn(`proventos ${ticker}: ${warning}`, where);
  if (hadHistory && removed.length) {
    metrics.addMetric('proventosHistoriesChanged', MetricUnit.Count, 1);
    logger.warn(changeWarning({ ticker, kind, removed, added }), { ...where, removedRows: removed, addedRows: added });
  }
}
