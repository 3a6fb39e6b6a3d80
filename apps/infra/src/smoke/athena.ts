import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import { stagedNames, type TableDef } from '@b3lake/lake';
import type { SmokeContext, StackOutputs } from './context';
import { CheckFailure } from './output';
import { PollTimeout, formatDuration, pollUntil } from './poll';

/** `db.table` of a registry table in the stage, as the check names it. */
export function athenaLabel(def: TableDef, stage: string): string {
  const { database, name } = stagedNames(def, stage);
  return `${database}.${name}`;
}

/** `SELECT count(*)` of one table; identifiers are quoted (`"default"` is a reserved word). */
export function countSql(def: TableDef, stage: string): string {
  const { database, name } = stagedNames(def, stage);
  return `SELECT count(*) FROM "${database}"."${name}"`;
}

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** Check 4 (one per table): the count query succeeds in the stack's workgroup; the detail is the count. */
export async function countRows(ctx: SmokeContext, outputs: StackOutputs, def: TableDef): Promise<string> {
  const { athena } = ctx.clients;
  const workGroup = outputs.AthenaWorkGroup;
  const { QueryExecutionId: id } = await athena.send(
    new StartQueryExecutionCommand({ QueryString: countSql(def, ctx.options.stage), WorkGroup: workGroup }),
  );
  if (!id) throw new CheckFailure('Athena returned no query execution id');
  const where = `query ${id} in workgroup ${workGroup}: see Recent queries in the Athena console`;
  let execution: QueryExecution;
  try {
    execution = await pollUntil(
      async () => {
        const { QueryExecution: q } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
        return q?.Status?.State && FINAL.has(q.Status.State) ? q : undefined;
      },
      {
        clock: ctx.clock,
        timeoutMs: ctx.options.timeoutMs,
        intervalMs: ctx.intervals.athenaMs,
        what: `Athena query ${id}`,
      },
    );
  } catch (err) {
    if (err instanceof PollTimeout) throw new CheckFailure(err.message, where);
    throw err;
  }
  const status = execution.Status;
  if (status?.State !== 'SUCCEEDED') {
    const reason = status?.AthenaError?.ErrorMessage ?? status?.StateChangeReason ?? 'no reason given';
    throw new CheckFailure(
      `${status?.State}: ${reason}`,
      `${where}; a missing table or database means the catalog is not the deployed one (deploy again)`,
    );
  }
  const { ResultSet } = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: id }));
  const text = ResultSet?.Rows?.[1]?.Data?.[0]?.VarCharValue; // row 0 is the header
  const count = Number(text);
  if (text === undefined || !Number.isFinite(count))
    throw new CheckFailure(`unexpected result ${JSON.stringify(ResultSet?.Rows ?? [])}`, where);
  const stats = execution.Statistics;
  const scanned =
    stats?.DataScannedInBytes !== undefined ? `, ${(stats.DataScannedInBytes / 1e6).toFixed(1)} MB scanned` : '';
  const took =
    stats?.TotalExecutionTimeInMillis !== undefined
      ? `${formatDuration(stats.TotalExecutionTimeInMillis)}${scanned}`
      : scanned.slice(2);
  return `${count.toLocaleString('en-US')} rows${took ? ` (${took})` : ''}`;
}
