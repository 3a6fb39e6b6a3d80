#!/usr/bin/env node
/** `nx run replay:serve -- --help`: the replay server on its own, for trying b3lake offline. */
import { resolve } from 'node:path';
import { startReplayServer } from './replay-server';
import { SERVE_HELP, ServeUsageError, parseServeArgs } from './serve-args';

/** The day of the fixtures' quotes and IBOV portfolio. */
const FIXTURES_DATE = '2022-05-24';

function parsed(): ReturnType<typeof parseServeArgs> {
  try {
    return parseServeArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ServeUsageError)) throw error;
    console.error(`replay: ${error.message}\nSee nx run replay:serve -- --help`);
    process.exit(2);
  }
}

const args = parsed();
if (args.help) {
  console.log(SERVE_HELP);
} else {
  startReplayServer({ ...args.options, fixturesDir: resolve(args.options.fixturesDir), port: args.port }).then(
    (server) => {
      const { acoes, fiis } = server.tickers;
      const market = acoes.length
        ? `a synthetic market of ${acoes.length} stocks and ${fiis.length} FIIs`
        : `the fixtures${args.options.ownValues ? ', each ticker its own values' : ''}`;
      console.log(`replay server on ${server.url} (Fundamentus and B3, ${market}); Ctrl-C to stop. Try:`);
      console.log(
        `  npx b3lake run --date ${args.options.quoteDate ?? FIXTURES_DATE} --fundamentus-url ${server.url} ` +
          `--b3-url ${server.url} ` +
          '--min-interval 0 --data-dir data/replay',
      );
      const example = `${server.cotahistUrl}COTAHIST_A${server.today.slice(0, 4)}.ZIP`;
      console.log(`COTAHIST zips (synthetic, sessions up to ${server.today}): ${example}, _M<MMYYYY>, _D<DDMMYYYY>`);
      console.log(
        `  npx b3lake backfill cotahist --from 2021 --to 2021 --cotahist-url ${server.cotahistUrl} ` +
          '--min-interval 0 --data-dir data/replay',
      );
      console.log(
        `Dividend pages (synthetic, data com up to ${server.today}): ${server.url}/proventos.php?papel=<stock>, ` +
          `${server.url}/fii_proventos.php?papel=<FII>&tipo=2`,
      );
      process.on('SIGINT', () => server.stop().then(() => process.exit(0)));
    },
    (error: Error) => {
      console.error(`replay: ${error.message}`);
      process.exit(1);
    },
  );
}
