import { reprocessDay, toAnomesdia } from '@b3lake/pipeline';
import type { CommonOptions } from '../cli';
import { EXIT } from '../exit-codes';
import type { Io } from '../io';
import { localContext } from '../local/context';

/** `b3lake reprocess --date D`: rebuilds SoR, SoT and Spec of D from the archived pages, offline. */
export async function reprocessCommand(
  date: string,
  options: CommonOptions & { dataDir: string },
  io: Io,
): Promise<number> {
  const started = Date.now();
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
          `run 'b3lake run --date ${date}' first`,
      );
      return EXIT.DATA_ERROR;
    }
    return result.failed.length ? EXIT.PARTIAL : EXIT.OK;
  } finally {
    close();
  }
}
