/**
 * `npm run demo`: the whole pipeline offline — a replay server with the project's own
 * fixtures stands in for Fundamentus and B3 — then a sample query. Writes to ./data/demo.
 */
import { resolve } from 'node:path';
import { WORKSPACE, cli } from './cli-process';
import { startReplayServer } from './replay-server';

const DATA = process.env['B3LAKE_DEMO_DIR'] ?? 'data/demo';

const b3lake = async (args: string[]): Promise<number> => (await cli(args, { inherit: true })).code ?? 1;

async function main(): Promise<number> {
  const server = await startReplayServer({ fixturesDir: resolve(WORKSPACE, 'tools/fixtures'), latencyMs: 30 });
  console.log(`Demo: a replay server on ${server.url} serves b3lake's own fixture pages as Fundamentus and B3.\n`);
  try {
    const run = await b3lake([
      'run',
      '--date',
      '2022-05-24',
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
    const sql =
      'SELECT codigo_ticker_ativo, tipo_ativo, vlr_cot, dt_ult_cot, pct_var_dia, pct_var_12m ' +
      'FROM db_b3lake_spec.tbspec_fundamentus_cotacao_ativos ORDER BY pct_var_dia';
    console.log(`\n$ b3lake query "${sql}" --data-dir ${DATA}\n`);
    const query = await b3lake(['query', sql, '--data-dir', DATA]);
    console.log(`\nTry: npm run -s b3lake -- tables --data-dir ${DATA}`);
    console.log(
      `     npm run -s b3lake -- query 'SELECT * FROM "default".tbrefined_b3_carteira_ibov' --data-dir ${DATA}`,
    );
    return query;
  } finally {
    await server.stop();
  }
}

main().then((code) => (process.exitCode = code));
