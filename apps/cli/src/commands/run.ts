import { Command, Option } from '@commander-js/extra-typings';
import { runDaily, type RunKind, type RunSummary } from '@b3lake/pipeline';
import type { CliContext } from '../cli';
import { EXIT } from '../exit-codes';
import type { Io } from '../io';
import { DeadLetterFile, localContext, localPaths } from '../local/context';
import {
  RUN_KINDS,
  dataDirArg,
  isoDate,
  nonNegativeInt,
  positiveInt,
  runKinds,
  withDataDir,
  withJson,
  withNetwork,
  type NetworkOptions,
} from '../options';
import { progressReporter } from '../progress';

export interface RunCommandOptions extends NetworkOptions {
  json?: boolean;
  date?: string;
  kinds: readonly RunKind[];
  limit?: number;
  concurrency: number;
  minInterval: number;
  dataDir: string;
}

/** `b3lake run`: the whole daily pipeline on this machine. */
export function runCommand(ctx: CliContext) {
  return withNetwork(
    withJson(
      withDataDir(
        new Command('run')
          .summary('the whole daily pipeline into the lake')
          .description(
            'The whole daily pipeline into DIR: listings, every detail page, SoR → SoT → Spec, compaction, ' +
              'IBOV raw → refined, DuckDB catalog. Weekends and B3 holidays are skipped. Failed tickers go ' +
              'to DIR/dlq/<date>.jsonl.',
          )
          .option('--date <YYYY-MM-DD>', 'business date (default: today in America/Sao_Paulo)', isoDate)
          .addOption(
            new Option('--kinds <list>', `what to run, comma-separated: ${RUN_KINDS.join(',')}`)
              .argParser(runKinds)
              .default([...RUN_KINDS], 'all'),
          )
          .option('--limit <n>', 'only the first N tickers of each listing (for trials)', positiveInt)
          .option('--concurrency <n>', 'tickers and requests in flight', positiveInt, 8)
          .option('--min-interval <ms>', 'minimum time between requests to one host (be polite)', nonNegativeInt, 250),
      ),
    ),
  ).action(async (options) => {
    ctx.exitCode = await runLocal(options, ctx.io);
  });
}

async function runLocal(options: RunCommandOptions, io: Io): Promise<number> {
  const paths = localPaths(options.dataDir);
  const { ctx, close } = await localContext({
    dataDir: options.dataDir,
    fundamentusUrl: options.fundamentusUrl,
    b3Url: options.b3Url,
    concurrency: options.concurrency,
    minIntervalMs: options.minInterval,
    timeoutMs: options.timeout,
    maxAttempts: options.retries,
  });
  const deadLetters = new DeadLetterFile(paths.dlq);
  let summary: RunSummary;
  try {
    summary = await runDaily(ctx, {
      date: options.date,
      kinds: options.kinds,
      limit: options.limit,
      concurrency: options.concurrency,
      deadLetters,
      onEvent: progressReporter(io, Boolean(process.stderr.isTTY) && io.isTty, (t) => process.stderr.write(t)),
    });
  } finally {
    close();
  }
  // maxRSS is in kilobytes: the peak resident memory of this process over the whole run.
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  if (options.json) io.out(JSON.stringify({ ...summary, peakRssMb }, null, 2));
  else
    io.out(
      `${formatSummary(summary, paths.root, deadLetters.path(summary.businessDate), dataDirArg(options.dataDir))}\n` +
        `  peak memory: ${peakRssMb} MB`,
    );
  if (summary.skipped) return EXIT.OK;
  return summary.deadLetters.length ? EXIT.PARTIAL : EXIT.OK;
}

function formatSummary(s: RunSummary, root: string, dlqPath: string, dataDir: string): string {
  if (s.skipped) return `Skipped: ${s.skipped}. Nothing to do (use --date for another day).`;
  const lines = [`Run ${s.businessDate} finished in ${(s.durationMs / 1000).toFixed(1)} s → ${root}`];
  if (s.tickers.total) {
    const listed = Object.entries(s.listed)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    const skipped = s.tickers.total - s.tickers.ok - s.tickers.failed;
    lines.push(`  tickers: ${s.tickers.ok} ok, ${s.tickers.failed} failed, ${skipped} skipped (listed: ${listed})`);
  }
  for (const t of s.tables)
    lines.push(`  ${t.table.padEnd(44)} ${String(t.rows).padStart(6)} rows  ${t.objectsAfter} object`);
  if (s.ibov) lines.push(`  IBOV ${s.ibov.date}: ${s.ibov.rawRows} raw rows → ${s.ibov.refinedRows} refined rows`);
  lines.push(`  objects written: ${s.objectsWritten}`);
  if (s.deadLetters.length) {
    lines.push(`  dead-lettered: ${s.deadLetters.length} → ${dlqPath}`);
    for (const d of s.deadLetters.slice(0, 10)) lines.push(`    ${d.ticker} ${d.errorType}: ${d.message}`);
    if (s.deadLetters.length > 10) lines.push(`    … ${s.deadLetters.length - 10} more in the file`);
    lines.push(`  Re-run the same command to retry them; existing rows are overwritten, never duplicated.`);
  }
  lines.push(
    `Query: npx b3lake query "SELECT * FROM db_b3lake_spec.tbspec_fundamentus_cotacao_ativos LIMIT 5"${dataDir}`,
  );
  return lines.join('\n');
}
