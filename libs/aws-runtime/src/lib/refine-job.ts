import type { GlueClient } from '@aws-sdk/client-glue';

/** Starts the Glue ETL job that runs ibov_refine.sql over one raw day. */
export async function startRefineJob(jobName: string, date: string, client?: GlueClient): Promise<string> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a portfolio date: ${date}`);
  const { GlueClient: Client, StartJobRunCommand } = await import('@aws-sdk/client-glue');
  const out = await (client ?? new Client({})).send(new StartJobRunCommand({ JobName: jobName, Arguments: { '--date': date } }));
  return out.JobRunId ?? '';
}

/** The portfolio date of a raw IBOV object key (`tbsor_b3_carteira_ibov_raw/date=YYYY-MM-DD/…`). */
export function dateFromRawKey(key: string): string | undefined {
  return /(?:^|\/)tbsor_b3_carteira_ibov_raw\/date(?:=|%3D)(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
}
