import { logger, metrics, MetricUnit, runtime, withPowertools } from '@b3lake/aws-runtime';
import {
  finalizeStep,
  recordFinalizedDay,
  startRun,
  type RunRecord,
  type StartResult,
  type TableFinal,
} from '@b3lake/pipeline';
import { parseEvent, type FinalizeEvent, type RecordEvent, type ResolveEvent, type TablesEvent } from './event';

export type { FinalizeEvent } from './event';

/** Recorded in the manifest; set at bundle time (infra passes the workspace version), unknown otherwise. */
const VERSION = process.env['B3LAKE_VERSION'] ?? '';

/**
 * Step Functions task. `{ resolve: true, date? }` fixes the business date once for the whole
 * workflow; `{ anomesdia, tables }` finalizes those tables of D (compacts sources, rebuilds SoT
 * and Spec from them, registers partitions); `{ record: true, anomesdia, startedAt }` writes the
 * finalized day's row in the run manifest.
 */
async function finalize(event: ResolveEvent): Promise<StartResult>;
async function finalize(event: TablesEvent): Promise<{ anomesdia: number; tables: TableFinal[] }>;
async function finalize(event: RecordEvent): Promise<RunRecord>;
async function finalize(
  event: FinalizeEvent,
): Promise<StartResult | { anomesdia: number; tables: TableFinal[] } | RunRecord> {
  const request = parseEvent(event);
  const { ctx } = runtime();
  if ('record' in request) {
    logger.appendKeys({ businessDate: request.anomesdia });
    const record = await recordFinalizedDay(ctx, request.anomesdia, request.startedAt, VERSION);
    logger.info('run recorded', { ...record });
    return record;
  }
  if (request.resolve) {
    const run = startRun(ctx.clock, request.date);
    logger.info('business date resolved', { ...run });
    return run;
  }
  logger.appendKeys({ businessDate: request.anomesdia });
  const tables = await finalizeStep(ctx, request.anomesdia, request.tables);
  const repaired = Object.fromEntries(
    tables.flatMap((t) => (t.repaired === undefined ? [] : [[t.table, t.repaired] as const])),
  );
  const total = Object.values(repaired).reduce((a, b) => a + b, 0);
  for (const t of tables) metrics.addMetric('rowsFinalized', MetricUnit.Count, t.rows);
  metrics.addMetric('tickersRepaired', MetricUnit.Count, total);
  // Repairs mean prepare/specialize lagged behind finalize: worth a look, not a failure.
  (total > 0 ? logger.warn.bind(logger) : logger.info.bind(logger))('finalized', { tables, repaired });
  return { anomesdia: request.anomesdia, tables };
}

export const handler = withPowertools(finalize);
