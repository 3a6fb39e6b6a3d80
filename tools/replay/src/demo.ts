/**
 * `npm run demo`: the whole pipeline offline — a replay server with the project's own
 * fixtures stands in for Fundamentus and B3 — then a sample query. Writes to ./data/demo
 * (B3LAKE_DEMO_DIR to change it). Every command it prints runs as printed from the repo root.
 */
import { resolve } from 'node:path';
import { WORKSPACE, cli } from './cli-process';
import { demoHints, demoQuery, typed } from './demo-hints';
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
      '--min-interval',
      '0',
    ]);
    if (run !== 0) return run;
    const query = demoQuery(DATA);
    console.log(`\n$ ${typed(query)}\n`);
    const code = await b3lake(query);
    console.log('\nTry:');
    for (const hint of demoHints(DATA)) console.log(`  ${typed(hint)}`);
    return code;
  } finally {
    await server.stop();
  }
}

main().then((code) => (process.exitCode = code));
