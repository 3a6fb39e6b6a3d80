import { Command, Option } from '@commander-js/extra-typings';
import { isAssetKind } from '@b3lake/lake';
import {
  DAILY_RUN_KINDS,
  defaultRunKinds,
  nonTradingReason,
  runDaily,
  saoPauloDate,
  type RunKind,
  type RunSummary,
} from '@b3lake/pipeline';
import type { CliContext } from '../cli';
import { EXIT, UsageError } from '../exit-codes';
import type { Io } from '../io';
import { DeadLetterFile, hasArchivedDay, localContext, localPaths } from '../local/context';
import {
  RUN_KINDS,
  dataDirArg,
  isLive,
  isoDate,
  nonNegativeInt,
  positiveInt,
  cotahistUrlOf,
  runKinds,
  tickerList,
  withCotahistUrl,
  withDataDir,
  withJson,
  withNetwork,
  type NetworkOptions,
} from '../options';
import { concurrencyWarning } from '../politeness';
import { progressReporter } from '../progress';
import { stopOnSignals } from '../signals';
import { VERSION } from '../version';

export interface RunCommandOptions extends NetworkOptions {
  json?: boolean;
  date?: string;
  /** Absent: the default kinds of the business date (defaultRunKinds), or proventos alone with --tickers. */
  kinds?: readonly RunKind[];
  tickers?: readonly string[];
  limit?: number;
  concurrency: number;
  minInterval: number;
  dataDir: string;
  force?: boolean;
  onlyFailed?: boolean;
}

/** `b3lake run`: the whole daily pipeline on this machine. */
export function runCommand(ctx: CliContext) {
  return withCotahistUrl(
    withNetwork(
      withJson(
        withDataDir(
          new Command('run')
            .summary('the whole daily pipeline into the lake')
            .description(
              'The whole daily pipeline into DIR: listings, every detail page, SoR → SoT → Spec, compaction, ' +
                "IBOV raw → refined, the day's COTAHIST file, DuckDB catalog; on the week's last trading day " +
                'also every dividend page (proventos). Weekends and B3 holidays are skipped. Failed tickers go ' +
                'to DIR/dlq/<date>.jsonl.',
            )
            .option('--date <YYYY-MM-DD>', 'business date (default: today in America/Sao_Paulo)', isoDate)
            .addOption(
              new Option(
                '--kinds <list>',
                `what to run, comma-separated: ${RUN_KINDS.join(',')} (default: ${DAILY_RUN_KINDS.join(',')}; ` +
                  "proventos too on the week's last trading day)",
              ).argParser(runKinds),
            )
            .option(
              '--tickers <list>',
              "only these tickers' dividend pages, comma-separated (the proventos kind; implies --kinds proventos)",
              tickerList,
            )
            .option('--limit <n>', 'only the first N tickers of each listing (for trials)', positiveInt)
            .option('--concurrency <n>', 'tickers and requests in flight', positiveInt, 8)
            .option('--min-interval <ms>', 'minimum time between requests to one host (be polite)', nonNegativeInt, 250)
            .option('--force', 'refetch every ticker (and dividend page), even those an earlier run of the day landed')
            .addOption(new Option('--only-failed', "retry only the day's dead letters").conflicts('force')),
        ),
      ),
    ),
    true,
  )
    .addHelpText(
      'after',
      `
A re-run of a date lands only what has not landed yet: pages an earlier run archived are read
back (no request), the day's dead letters are fetched again. Ctrl-C stops cleanly; run the same
command to resume. The live sites serve only today's data: for another date, use
'npx b3lake reprocess --date D' (rebuilds a day from its archived pages).

The cotahist kind adds the day's COTAHIST_D<DDMMYYYY>.ZIP (B3's official quotes of every
instrument) to db_b3lake_sot.tbsot_b3_cotacoes_historicas and
db_b3lake_spec.tbspec_b3_cotacoes_diarias. B3 publishes it in the evening after the session:
earlier, the run warns and a later run of the day adds it. Past years and days:
'npx b3lake backfill cotahist --from 2000 --to 2025'.

The proventos kind fetches every listed stock's and FII's dividend page (proventos.php,
fii_proventos.php) and replaces each ticker's whole history in
db_b3lake_sot.tbsot_fundamentus_proventos; the run lists the rows added and removed per ticker
(a removed row is a changed history, also a warning in the run manifest). It is one request per
listed ticker — as many as the daily detail pages, so it would double a day's requests — and a
history changes only when a distribution is declared: it runs by default once a week, on the
week's last trading day (Friday, or Thursday when Friday is a holiday). On demand:
'npx b3lake run --kinds proventos' (every listed ticker) or
'npx b3lake run --tickers HGLG11,PETR4' (only those). Dividend yields against COTAHIST closes:
db_b3lake_spec.vwspec_proventos_yield_12m.`,
    )
    .action(async (options) => {
      ctx.exitCode = await runLocal(options, ctx.io);
    });
}

async function runLocal(given: RunCommandOptions, io: Io): Promise<number> {
  const options = { ...given, kinds: kindsOf(given) };
  refuseAnotherDayOfTheLiveSites(options);
  const warning = concurrencyWarning(options.concurrency, options.minInterval);
  if (warning) io.err(`b3lake: warning: ${warning}`);
  const paths = localPaths(options.dataDir);
  const { ctx, close } = await localContext({
    dataDir: options.dataDir,
    fundamentusUrl: options.fundamentusUrl,
    b3Url: options.b3Url,
    cotahistUrl: cotahistUrlOf(options),
    concurrency: options.concurrency,
    minIntervalMs: options.minInterval,
    timeoutMs: options.timeout,
    maxAttempts: options.retries,
  });
  const deadLetters = new DeadLetterFile(paths.dlq);
  const stop = stopOnSignals(io, 'the pages archived so far are kept');
  let summary: RunSummary;
  try {
    summary = await runDaily(ctx, {
      date: options.date,
      kinds: options.kinds,
      tickers: options.tickers,
      limit: options.limit,
      concurrency: options.concurrency,
      deadLetters,
      force: options.force,
      onlyFailed: options.onlyFailed,
      signal: stop.signal,
      version: VERSION,
      onEvent: progressReporter(io, Boolean(process.stderr.isTTY) && io.isTty, (t) => process.stderr.write(t), {
        phaseEnds: true,
      }),
    });
  } finally {
    stop.dispose();
    await close();
  }
  // maxRSS is in kilobytes: the peak resident memory of this process over the whole run.
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const resume =
    `npx b3lake run --date ${summary.businessDate}${sameSources(options, summary.businessDate)}` +
    dataDirArg(options.dataDir);
  if (options.json) io.out(JSON.stringify({ ...summary, peakRssMb }, null, 2));
  else
    io.out(
      `${formatSummary(summary, paths.root, deadLetters.path(summary.businessDate), options.dataDir, resume)}\n` +
        `  peak memory: ${peakRssMb} MB`,
    );
  for (const message of summary.warnings) io.err(`b3lake: warning: ${message}`);
  if (summary.skipped) return EXIT.OK;
  if (summary.status === 'interrupted') {
    const p = summary.proventos?.tickers;
    const landed = [
      ...(summary.tickers.total ? [`${summary.tickers.ok} of ${summary.tickers.total} tickers landed`] : []),
      ...(p ? [`${p.fetched + p.restored} of ${p.total} dividend histories`] : []),
    ];
    io.err(
      `b3lake: interrupted: ${landed.join(', ') || 'nothing landed'} (their pages are archived). ` +
        `Resume with: ${resume}`,
    );
    return EXIT.INTERRUPTED;
  }
  return summary.status === 'complete' ? EXIT.OK : EXIT.PARTIAL;
}

/**
 * The kinds a run does: `--kinds`; else proventos alone with `--tickers`; else the business date's
 * default (the daily kinds, proventos too on the week's last trading day). `--tickers` selects
 * dividend pages only: with the detail pages' kinds it would leave the day's tables incomplete.
 */
export function kindsOf(options: Pick<RunCommandOptions, 'kinds' | 'tickers' | 'date'>): readonly RunKind[] {
  if (options.tickers) {
    if (!options.kinds) return ['proventos'];
    if (!options.kinds.includes('proventos'))
      throw new UsageError('--tickers selects dividend pages: use it with --kinds proventos (or without --kinds).');
    if (options.kinds.some(isAssetKind))
      throw new UsageError(
        `--tickers applies to the proventos kind only, not to ${options.kinds.filter(isAssetKind).join(',')} ` +
          "(a day's detail pages are every listed ticker; --limit N tries a few).",
      );
    return options.kinds;
  }
  return options.kinds ?? defaultRunKinds(options.date ?? saoPauloDate(new Date()));
}

/**
 * The live sites serve only the current day: another trading date would store today's values
 * under it. (A weekend or holiday is skipped with a message anyway; a mirror or replay server
 * serves whatever day it recorded.)
 */
function refuseAnotherDayOfTheLiveSites(options: RunCommandOptions & { kinds: readonly RunKind[] }): void {
  if (!options.date || nonTradingReason(options.date)) return;
  // COTAHIST files of past days stay published: only Fundamentus and the IBOV portfolio are today's only.
  const usesFundamentus = options.kinds.some(isAssetKind) || options.kinds.includes('proventos');
  const usesB3 = options.kinds.includes('ibov');
  if (!isLive(options, { fundamentus: usesFundamentus, b3: usesB3 })) return;
  const today = saoPauloDate(new Date());
  if (options.date === today) return;
  const archived = hasArchivedDay(options.dataDir, options.date);
  throw new UsageError(
    `--date ${options.date}: the live sites serve only today's data (${today} in São Paulo), so the run would ` +
      `store today's values under ${options.date}. ` +
      (archived
        ? `To rebuild ${options.date} from its archived pages: ` +
          `npx b3lake reprocess --date ${options.date}${dataDirArg(options.dataDir)}`
        : `This lake has no archived pages of ${options.date}, so that day cannot be fetched any more.`),
  );
}

/** The options a resume needs to reach the same sources for the same kinds (the defaults left out). */
function sameSources(options: RunCommandOptions & { kinds: readonly RunKind[] }, businessDate: string): string {
  const parts: string[] = [];
  const byDefault = options.tickers ? ['proventos'] : defaultRunKinds(businessDate);
  if (options.kinds.join(',') !== byDefault.join(',')) parts.push(`--kinds ${options.kinds.join(',')}`);
  if (options.tickers) parts.push(`--tickers ${options.tickers.join(',')}`);
  if (!isLive(options, { fundamentus: true, b3: false })) parts.push(`--fundamentus-url ${options.fundamentusUrl}`);
  if (!isLive(options, { fundamentus: false, b3: true })) parts.push(`--b3-url ${options.b3Url}`);
  // Only when given: without it the resume finds the same folder the same way (beside --b3-url, or B3's).
  if (options.kinds.includes('cotahist') && options.cotahistUrl) parts.push(`--cotahist-url ${options.cotahistUrl}`);
  if (options.minInterval !== 250) parts.push(`--min-interval ${options.minInterval}`);
  return parts.map((part) => ` ${part}`).join('');
}

function formatSummary(s: RunSummary, root: string, dlqPath: string, dataDir: string, resume: string): string {
  if (s.skipped) return `Skipped: ${s.skipped}. Nothing to do on a day B3 does not trade.`;
  const seconds = (s.durationMs / 1000).toFixed(1);
  const lines = [`Run ${s.businessDate} ${s.status} in ${seconds} s → ${root} (run ${s.runId})`];
  if (s.tickers.total) {
    const listed = Object.entries(s.listed)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    const { ok, restored, failed, notAttempted } = s.tickers;
    const fromArchive = restored ? ` (${restored} from pages archived earlier today, no request)` : '';
    lines.push(
      `  tickers: ${ok} landed${fromArchive}, ${failed} failed, ${notAttempted} not attempted (listed: ${listed})`,
    );
  }
  const dates = Object.entries(s.sourceDates).map(([source, date]) => `${source} ${date}`);
  if (dates.length) lines.push(`  source dates: ${dates.join(', ')}`);
  for (const t of s.tables)
    lines.push(`  ${t.table.padEnd(44)} ${String(t.rows).padStart(6)} rows  ${t.objectsAfter} object`);
  if (s.ibov) lines.push(`  IBOV ${s.ibov.date}: ${s.ibov.rawRows} raw rows → ${s.ibov.refinedRows} refined rows`);
  if (s.cotahist) {
    // The same COTAHIST folder: given with --cotahist-url, or found beside a B3 mirror (--b3-url).
    const source = resume.match(/ --cotahist-url \S+/)?.[0] ?? resume.match(/ --b3-url \S+/)?.[0] ?? '';
    const later = `npx b3lake run --date ${s.businessDate} --kinds cotahist${source}${dataDirArg(dataDir)}`;
    lines.push(`  ${cotahistLine(s.cotahist, later)}`);
  }
  if (s.proventos) lines.push(...proventosLines(s.proventos));
  lines.push(`  objects written: ${s.objectsWritten}`);
  if (s.deadLetters.length) {
    lines.push(`  dead-lettered: ${s.deadLetters.length} → ${dlqPath}`);
    for (const d of s.deadLetters.slice(0, 10))
      lines.push(`    ${d.ticker}${d.kind === 'proventos' ? ' (dividend page)' : ''} ${d.errorType}: ${d.message}`);
    if (s.deadLetters.length > 10) lines.push(`    … ${s.deadLetters.length - 10} more in the file`);
    lines.push(`  Retry them with: ${resume} --only-failed (rows are overwritten, never duplicated)`);
  }
  // Tickers neither landed nor dead-lettered (stopped, or left out by --only-failed): a plain re-run lands them.
  if (s.status === 'interrupted' || s.tickers.notAttempted > 0) lines.push(`  Resume with: ${resume}`);
  if (s.tables.length)
    lines.push(
      `Query: npx b3lake query "SELECT * FROM db_b3lake_spec.tbspec_fundamentus_cotacao_ativos LIMIT 5"` +
        dataDirArg(dataDir),
    );
  else if (s.proventos?.perTicker.length) {
    const one = s.proventos.perTicker.find((t) => t.kind === 'fiis') ?? s.proventos.perTicker[0];
    lines.push(
      `Query: npx b3lake query "SELECT dt_com, tipo_provento, vlr_provento_por_acao, dt_pagamento FROM ${PROVENTOS} ` +
        `WHERE codigo_ticker = '${one.ticker}' ORDER BY dt_com DESC LIMIT 12"${dataDirArg(dataDir)}`,
    );
  } else if (s.cotahist && s.cotahist.status !== 'not-published')
    lines.push(
      `Query: npx b3lake query "SELECT codigo_ticker, vlr_fechamento FROM ${COTAHIST_SPOT} ` +
        `WHERE dt_pregao = DATE '${s.businessDate}' ORDER BY codigo_ticker"${dataDirArg(dataDir)}`,
    );
  return lines.join('\n');
}

const COTAHIST_SPOT = 'db_b3lake_spec.tbspec_b3_cotacoes_diarias';
const PROVENTOS = 'db_b3lake_sot.tbsot_fundamentus_proventos';

/** How many tickers a summary line names before "… N more". */
const NAMED = 10;

/**
 * The dividend histories of a run: tickers and rows, then per ticker what changed — every history
 * that lost rows (a changed history) on its own line, new rows and first snapshots in one line each.
 */
export function proventosLines(p: NonNullable<RunSummary['proventos']>): string[] {
  const listed = Object.entries(p.listed)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  const { fetched, restored, failed, notAttempted } = p.tickers;
  const archived = restored ? ` (${restored} from pages archived earlier today, no request)` : '';
  const landed = fetched + restored;
  const lines = [
    `  proventos: ${landed} ${landed === 1 ? 'history' : 'histories'} landed${archived}, ${failed} failed, ` +
      `${notAttempted} not attempted (${listed || 'no tickers'}); ${fetched} pages requested`,
    `    rows: ${p.rows} in the histories landed; ${p.added} added, ${p.removed} removed since the previous snapshots`,
  ];
  const more = (n: number) => (n > NAMED ? `, … ${n - NAMED} more (--json lists every ticker)` : '');
  for (const change of p.changed.slice(0, NAMED)) {
    const removed = change.removed.slice(0, 3).join(', ') + (change.removed.length > 3 ? ', …' : '');
    lines.push(
      `    history changed: ${change.ticker} ${change.removed.length} removed, ${change.added.length} added ` +
        `(removed: ${removed})`,
    );
  }
  if (p.changed.length > NAMED) lines.push(`    … ${p.changed.length - NAMED} more changed histories (--json)`);
  const grown = p.perTicker.filter((t) => !t.firstFetch && t.added > 0 && t.removed === 0);
  if (grown.length)
    lines.push(
      `    new rows: ${grown
        .slice(0, NAMED)
        .map((t) => `${t.ticker} +${t.added}`)
        .join(', ')}${more(grown.length)}`,
    );
  const first = p.perTicker.filter((t) => t.firstFetch);
  if (first.length)
    lines.push(
      `    first snapshot (rows): ${first
        .slice(0, NAMED)
        .map((t) => `${t.ticker} ${t.rows}`)
        .join(', ')}${more(first.length)}`,
    );
  if (p.notListed.length) lines.push(`    not on the day's listings (nothing fetched): ${p.notListed.join(', ')}`);
  return lines;
}

/** What became of the day's COTAHIST file, in one line. */
export function cotahistLine(c: NonNullable<RunSummary['cotahist']>, later: string): string {
  const counts = `${c.quotes} quotes, ${c.spotRows} spot rows`;
  switch (c.status) {
    case 'loaded': {
      const archived = c.downloaded ? '' : ', from the archive an earlier run downloaded';
      const replaced = c.replaced.length ? `; replaced ${c.replaced.join(', ')}` : '';
      return `${c.file}: loaded (${counts}${archived})${replaced}`;
    }
    case 'already-loaded':
      return `${c.file}: already loaded by an earlier run (${counts}); nothing fetched`;
    case 'covered':
      return `${c.file}: its day is in ${c.coveredBy}, already loaded; nothing fetched`;
    case 'not-published':
      return `${c.file}: not published by B3 yet (it comes out in the evening); later: ${later}`;
  }
}
