/**
 * `npm run demo`: the whole pipeline offline — a replay server with the project's own
 * fixtures stands in for Fundamentus and B3 — then a sample query. Writes to ./data/demo
 * (B3LAKE_DEMO_DIR to change it). Every command it prints runs as printed from the repo root.
 */
import { resolve } from 'node:path';
import { WORKSPACE, cli } from './cli-process';
import { DEMO_HISTORY, DEMO_KINDS, demoHints, demoQuery, historyQuery, typed, yieldQuery } from './demo-hints';
import { startReplayServer } from './replay-server';

const DATA = process.env['B3LAKE_DEMO_DIR'] ?? 'data/demo';
/** The fixtures' business date: the IBOV portfolio and the pages' quotes are of this day. */
const DATE = '2022-05-24';

const b3lake = async (args: string[]): Promise<number> => (await cli(args, { inherit: true })).code ?? 1;

async function main(): Promise<number> {
  // Own values: the fixture pages other than PETR4's and HGLG11's copy those two's numbers.
  const server = await startReplayServer({
    fixturesDir: resolve(WORKSPACE, 'tools/fixtures'),
    latencyMs: 30,
    ownValues: true,
    quoteDate: DATE,
  });
  console.log(
    `Demo: a replay server on ${server.url} serves b3lake's own fixture pages as Fundamentus and B3 ` +
      `(illustrative values, each ticker its own).\n`,
  );
  try {
    const run = await b3lake([
      'run',
      '--date',
      DATE,
      '--data-dir',
      DATA,
      '--fundamentus-url',
      server.url,
      '--b3-url',
      server.url,
      // The dividend pages (weekly by default: the fixtures' day is a Tuesday) come along.
      '--kinds',
      DEMO_KINDS,
      '--min-interval',
      '0',
    ]);
    if (run !== 0) return run;
    const query = demoQuery(DATA);
    console.log(`\n$ ${typed(query)}\n`);
    const code = await b3lake(query);
    if (code !== 0) return code;

    // B3's price history: a year and a few days of the replay server's synthetic COTAHIST files
    // (the run above added the business date's file: cotahist is one of its default kinds).
    console.log(
      `\nPrice history: B3's COTAHIST files of ${DEMO_HISTORY.year} and of ${DEMO_HISTORY.days.from} to ` +
        `${DEMO_HISTORY.days.to}, from the replay server (synthetic quotes of ${server.cotahistUrl}).\n`,
    );
    const history = (from: string, to: string) =>
      b3lake([
        'backfill',
        'cotahist',
        '--from',
        from,
        '--to',
        to,
        '--cotahist-url',
        server.cotahistUrl,
        '--min-interval',
        '0',
        '--data-dir',
        DATA,
      ]);
    const year = await history(DEMO_HISTORY.year, DEMO_HISTORY.year);
    if (year !== 0) return year;
    const days = await history(DEMO_HISTORY.days.from, DEMO_HISTORY.days.to);
    if (days !== 0) return days;
    const closes = historyQuery(DATA);
    console.log(`\n$ ${typed(closes)}\n`);
    const closesCode = await b3lake(closes);
    if (closesCode !== 0) return closesCode;

    // Dividends: the run fetched every listed ticker's dividend page; the yield view joins them
    // with the COTAHIST closes just loaded.
    console.log(`\nFIIs by 12-month dividend yield on ${DATE} (the run's dividend pages, the COTAHIST closes):\n`);
    const yields = yieldQuery(DATA, DATE);
    console.log(`$ ${typed(yields)}\n`);
    const yieldsCode = await b3lake(yields);

    console.log('\nTry:');
    for (const hint of [yields, ...demoHints(DATA)]) console.log(`  ${typed(hint)}`);
    return yieldsCode;
  } finally {
    await server.stop();
  }
}

main().then((code) => (process.exitCode = code));
