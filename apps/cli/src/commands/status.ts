import { Command } from '@commander-js/extra-typings';
import { coveredByName, defaultRunKinds, loadedFiles, readRuns, type RunRecord } from '@b3lake/pipeline';
import { cotahistFileName } from '@b3lake/scraper';
import { isAssetKind, qualifiedName, table } from '@b3lake/lake';
import type { CliContext } from '../cli';
import { EXIT } from '../exit-codes';
import type { Io } from '../io';
import { localStores } from '../local/context';
import { assertLakeExists } from '../local/lake-reader';
import { dataDirArg, isoDate, withDataDir, withJson } from '../options';

/** `b3lake status [--date D]`: the run manifest, newest last. */
export function statusCommand(ctx: CliContext) {
  return withJson(
    withDataDir(
      new Command('status')
        .summary('the runs of a day (or every run): status, tickers landed, source dates')
        .description(
          `The run manifest (${qualifiedName(table('runs'))}): one row per run with its status ` +
            '(complete, partial, interrupted, failed), tickers listed/landed/dead-lettered (a run of the ' +
            'proventos kind alone counts its dividend pages), the sources’ own dates and warnings (a changed ' +
            'dividend history among them).',
        )
        .option('--date <YYYY-MM-DD>', 'only the runs of this business date', isoDate),
    ),
  ).action(async (options) => {
    ctx.exitCode = await status(options, ctx.io);
  });
}

async function status(options: { dataDir: string; date?: string; json?: boolean }, io: Io): Promise<number> {
  await assertLakeExists(options.dataDir);
  // The manifest is read from its parquet objects: no catalog, so a run in progress never blocks it.
  const runs = await readRuns(localStores(options.dataDir), options.date);
  if (options.json) {
    io.out(JSON.stringify(runs, null, 2));
    return EXIT.OK;
  }
  if (runs.length === 0) {
    const when = options.date ? ` for ${options.date}` : '';
    io.out(`No runs recorded${when}. Start one with: npx b3lake run${dataDirArg(options.dataDir)}`);
    return EXIT.OK;
  }
  const history = await cotahistOfDays(options.dataDir, runs);
  for (const run of runs) io.out(formatRun(run, options.dataDir, history.get(run.businessDate)));
  return EXIT.OK;
}

/**
 * Where the day's COTAHIST quotes are, for each day a run of the cotahist kind was recorded: the
 * day's file or the annual/monthly file holding it, from the file ledger (one small read per year).
 */
async function cotahistOfDays(dataDir: string, runs: readonly RunRecord[]): Promise<Map<string, string>> {
  const days = [...new Set(runs.filter((r) => r.kinds.includes('cotahist')).map((r) => r.businessDate))];
  const store = localStores(dataDir)('sot');
  const byYear = new Map<number, Awaited<ReturnType<typeof loadedFiles>>>();
  const lines = new Map<string, string>();
  for (const day of days) {
    const year = Number(day.slice(0, 4));
    if (!byYear.has(year)) byYear.set(year, await loadedFiles(store, year));
    const ledger = byYear.get(year) ?? [];
    const file = cotahistFileName({ date: day });
    const own = ledger.find((f) => f.file === file);
    const holder = own ? undefined : coveredByName(ledger, file);
    lines.set(
      day,
      own
        ? `${file} loaded (${own.quotes} quotes, ${own.spotRows} spot rows)`
        : holder
          ? `in ${holder.file} (loaded; ${holder.firstDate} to ${holder.lastDate})`
          : `${file} not loaded (not published yet when the day ran?)`,
    );
  }
  return lines;
}

function formatRun(run: RunRecord, dataDir: string, cotahist?: string): string {
  const seconds = ((run.endedAt.getTime() - run.startedAt.getTime()) / 1000).toFixed(1);
  const { listed, landed, fromArchive, deadLettered } = run.tickers;
  const sources = Object.entries(run.sourceDates).filter(([, date]) => date);
  const lines = [
    `${run.businessDate}  ${run.status.padEnd(11)} run ${run.id}  ${seconds} s  b3lake ${run.version || '?'}` +
      `  (${run.kinds.join(',')})`,
  ];
  // A run of the IBOV portfolio or the COTAHIST file alone lists no tickers; its failures are dead letters too.
  // A run of dividend pages alone counts them (its manifest row holds their counts).
  const dividendsOnly = !run.kinds.some(isAssetKind) && run.kinds.includes('proventos');
  if (run.kinds.some(isAssetKind) || dividendsOnly || deadLettered)
    lines.push(
      `  ${dividendsOnly ? 'dividend pages' : 'tickers'}: ${landed}/${listed} landed` +
        (fromArchive ? ` (${fromArchive} from archived pages)` : '') +
        `, ${deadLettered} dead-lettered, ${Math.max(0, listed - landed - deadLettered)} not attempted`,
    );
  const d = run.dividends;
  if (d && !dividendsOnly) lines.push(`  dividend pages: ${d.landed} landed, ${d.deadLettered} dead-lettered`);
  if (d) lines.push(`  dividend rows: ${d.rowsAdded} new, ${d.rowsRemoved} removed since the previous snapshots`);
  if (sources.length) lines.push(`  source dates: ${sources.map(([s, d]) => `${s} ${d}`).join(', ')}`);
  if (cotahist && run.kinds.includes('cotahist')) lines.push(`  cotahist: ${cotahist}`);
  for (const warning of run.warnings) lines.push(`  warning: ${warning}`);
  if (run.status === 'interrupted' || run.status === 'partial') {
    // The same kinds (the date's default ones need no --kinds).
    const kinds =
      run.kinds.join(',') === defaultRunKinds(run.businessDate).join(',') ? '' : ` --kinds ${run.kinds.join(',')}`;
    lines.push(`  resume: npx b3lake run --date ${run.businessDate}${kinds}${dataDirArg(dataDir)}`);
  }
  return lines.join('\n');
}
