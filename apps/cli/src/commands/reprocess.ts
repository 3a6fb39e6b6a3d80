import { Command } from '@commander-js/extra-typings';
import { reprocessDay, toAnomesdia } from '@b3lake/pipeline';
import type { CliContext } from '../cli';
import { EXIT } from '../exit-codes';
import type { Io } from '../io';
import { hasArchivedDay, localContext } from '../local/context';
import { dataDirArg, isoDate, withDataDir, withJson } from '../options';

/** `b3lake reprocess --date D`: rebuilds SoR, SoT and Spec of D from the archived pages, offline. */
export function reprocessCommand(ctx: CliContext) {
  return withJson(
    withDataDir(
      new Command('reprocess')
        .summary('rebuild a day from its archived raw pages (no network)')
        .description('Rebuild SoR, SoT and Spec of a day from the archived raw pages in the lake (no network).')
        .requiredOption('--date <YYYY-MM-DD>', 'the business date to rebuild', isoDate),
    ),
  ).action(async (options) => {
    ctx.exitCode = await reprocess(options.date, options, ctx.io);
  });
}

/** No page of the day was archived in this lake: there is nothing to rebuild from, and nothing is created. */
export class NoArchiveError extends Error {
  readonly code = 'NO_ARCHIVE';
  readonly retryable = false;
  constructor(date: string, dir: string) {
    super(
      `no archived pages of ${date} under ${dir}: only a day a run fetched can be rebuilt ` +
        `(npx b3lake status${dataDirArg(dir)} lists the days that ran)`,
    );
    this.name = 'NoArchiveError';
  }
}

async function reprocess(date: string, options: { dataDir: string; json?: boolean }, io: Io): Promise<number> {
  const started = Date.now();
  if (!hasArchivedDay(options.dataDir, date)) throw new NoArchiveError(date, options.dataDir);
  const { ctx, close } = await localContext({ dataDir: options.dataDir });
  try {
    const result = await reprocessDay(ctx, toAnomesdia(date));
    if (options.json) io.out(JSON.stringify(result, null, 2));
    else {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      io.out(
        `Reprocessed ${date} from ${result.pages} archived pages in ${seconds} s: ` +
          `${result.ok} ok, ${result.failed.length} failed`,
      );
      for (const t of result.tables) io.out(`  ${t.table.padEnd(44)} ${String(t.rows).padStart(6)} rows`);
      for (const f of result.failed.slice(0, 10)) io.out(`  ✗ ${f.key}: ${f.error}`);
    }
    if (result.pages === 0) {
      io.err(
        `b3lake: no archived pages for ${date} under ${options.dataDir}/lake/landing; ` +
          `run 'npx b3lake run --date ${date}${dataDirArg(options.dataDir)}' first`,
      );
      return EXIT.DATA_ERROR;
    }
    return result.failed.length ? EXIT.PARTIAL : EXIT.OK;
  } finally {
    await close();
  }
}
