import { logger, metrics, MetricUnit, runtime } from '@b3lake/aws-runtime';
import type { TableKey } from '@b3lake/lake';
import { DAILY_TABLES, finalizeStep, startRun } from '@b3lake/pipeline';

export interface FinalizeEvent {
  /** Business date yyyymmdd; default today (America/Sao_Paulo). */
  anomesdia?: number;
  /** Tables to compact (the workflow runs SoT ações and FIIs in parallel, then Spec). */
  tables?: TableKey[];
}

/** Step Functions task: compact D's partitions to one object per table, check keys, register partitions. */
export async function handler(event: FinalizeEvent = {}) {
  const { ctx } = runtime();
  const run = event.anomesdia ? { skipped: false as const, anomesdia: event.anomesdia, businessDate: String(event.anomesdia) } : startRun(ctx.clock);
  logger.appendKeys({ businessDate: run.businessDate });
  if (run.skipped) return { skipped: true, reason: run.reason };
  const tables = await finalizeStep(ctx, run.anomesdia, event.tables ?? DAILY_TABLES);
  for (const t of tables) metrics.addMetric('rowsFinalized', MetricUnit.Count, t.rows);
  metrics.publishStoredMetrics();
  logger.info('finalized', { tables });
  return { anomesdia: run.anomesdia, tables };
}
