/**
 * End-to-end: the real `b3lake` command, as a child process, against the replay server on
 * 127.0.0.1, writing a real lake that DuckDB reads.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import type { ReplayOptions } from '@b3lake/replay';
import { DATE, cli, e2eSession, query, runArgs, startCli } from './cli-process';

jest.setTimeout(120_000);

const TABLE_KEYS: Record<string, string> = {
  'db_b3lake_sot.tbsot_fundamentus_resumo_acoes': 'codigo_ticker',
  'db_b3lake_sot.tbsot_fundamentus_resumo_fiis': 'codigo_ticker',
  'db_b3lake_sor.tbsor_fundamentus_paginas_raw': 'codigo_ticker',
  'db_b3lake_sor.tbsor_fundamentus_indicadores_acoes_raw': 'nome_papel',
  'db_b3lake_sor.tbsor_fundamentus_indicadores_fiis_raw': 'fii',
  'db_b3lake_sot.tbsot_fundamentus_indicadores_acoes_prep': 'nome_papel',
  'db_b3lake_sot.tbsot_fundamentus_indicadores_fiis_prep': 'fii',
  'db_b3lake_spec.tbspec_fundamentus_cotacao_ativos': 'codigo_ticker_ativo',
  'db_b3lake_sor.tbsor_b3_carteira_ibov_raw': 'cod',
  '"default".tbrefined_b3_carteira_ibov': 'ticker',
};

const session = e2eSession('b3lake-e2e-');
const dataDir = () => session.dataDir();
const serve = (options?: Partial<ReplayOptions>) => session.serve(options);

/** Every row of every table, ts_extracao aside (a re-run fetches again), sorted. */
async function snapshot(dir: string, keepTimestamps = false): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [name, key] of Object.entries(TABLE_KEYS)) {
    const rows = await query(
      dir,
      `SELECT * ${keepTimestamps ? '' : 'EXCLUDE (ts_extracao)'} FROM ${name} ORDER BY ${key}`,
    );
    out[name] = rows;
  }
  return out;
}

afterAll(() => session.close());

describe('b3lake run (end to end)', () => {
  it('b3lake query prints JSON rows with Athena names', async () => {
    const server = await serve();
    const dir = dataDir();
    expect((await cli(runArgs(dir, server, ['--kinds', 'ibov']))).code).toBe(0);
    const result = await cli([
      'query',
      'SELECT ticker, pct_participacao FROM "default".tbrefined_b3_carteira_ibov ORDER BY ticker',
      '--format',
      'json',
      '--data-dir',
      dir,
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { ticker: 'ITUB4', pct_participacao: 0.215 },
      { ticker: 'PETR4', pct_participacao: 0.3825 },
      { ticker: 'TAEE11', pct_participacao: 0.0225 },
      { ticker: 'VALE3', pct_participacao: 0.38 },
    ]);
    const bad = await cli(['query', 'SELEC nonsense', '--data-dir', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/SQL error/);
  });

  it('a full run produces every table with the expected rows, read by DuckDB with the right types', async () => {
    const server = await serve();
    const dir = dataDir();
    const result = await cli(runArgs(dir, server));
    expect(result.stderr).toContain('b3lake: finalize');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/tickers: 6 landed, 0 failed, 0 not attempted/);

    const counts = await query<{ t: string; n: number }>(
      dir,
      Object.keys(TABLE_KEYS)
        .map((name) => `SELECT '${name.replace(/"/g, '')}' AS t, count(*) AS n FROM ${name}`)
        .join(' UNION ALL '),
    );
    expect(Object.fromEntries(counts.map((c) => [c.t, c.n]))).toEqual({
      'db_b3lake_sot.tbsot_fundamentus_resumo_acoes': 4,
      'db_b3lake_sot.tbsot_fundamentus_resumo_fiis': 2,
      'db_b3lake_sor.tbsor_fundamentus_paginas_raw': 6,
      'db_b3lake_sor.tbsor_fundamentus_indicadores_acoes_raw': 4,
      'db_b3lake_sor.tbsor_fundamentus_indicadores_fiis_raw': 2,
      'db_b3lake_sot.tbsot_fundamentus_indicadores_acoes_prep': 4,
      'db_b3lake_sot.tbsot_fundamentus_indicadores_fiis_prep': 2,
      'db_b3lake_spec.tbspec_fundamentus_cotacao_ativos': 6,
      'db_b3lake_sor.tbsor_b3_carteira_ibov_raw': 4,
      'default.tbrefined_b3_carteira_ibov': 4,
    });

    const [types] = await query(
      dir,
      'SELECT typeof(vlr_cot) AS cot, typeof(dt_ult_cot) AS dt, typeof(pct_var_dia) AS dia, ' +
        'typeof(num_acoes) AS n, typeof(anomesdia_exec) AS p ' +
        'FROM db_b3lake_sot.tbsot_fundamentus_indicadores_acoes_prep LIMIT 1',
    );
    expect(types).toEqual({ cot: 'DOUBLE', dt: 'DATE', dia: 'DOUBLE', n: 'BIGINT', p: 'INTEGER' });
    const quotes = await query(
      dir,
      'SELECT nome_papel, vlr_cot, CAST(dt_ult_cot AS VARCHAR) AS dt, pct_var_dia, vlr_ind_div_yield ' +
        'FROM db_b3lake_sot.tbsot_fundamentus_indicadores_acoes_prep ORDER BY 1',
    );
    expect(quotes).toContainEqual({
      nome_papel: 'PETR4',
      vlr_cot: 31.6,
      dt: '2022-05-24',
      pct_var_dia: -0.0291,
      vlr_ind_div_yield: 0.364,
    });
    expect(quotes).toContainEqual(expect.objectContaining({ nome_papel: 'ITUB4', pct_var_dia: -0.0042 }));
    const [refined] = await query(
      dir,
      'SELECT ticker, nome_ativo, tipo_ativo, pct_participacao, qtd_teorica, num_linhas_origem ' +
        `FROM "default".tbrefined_b3_carteira_ibov WHERE ticker = 'PETR4'`,
    );
    expect(refined).toEqual({
      ticker: 'PETR4',
      nome_ativo: 'PETROBRAS',
      tipo_ativo: 'PN EJ N2',
      pct_participacao: 0.3825,
      qtd_teorica: 4520000000,
      num_linhas_origem: 1,
    });
  });

  it('running the same date twice gives identical rows, no duplicates, one object per partition', async () => {
    const server = await serve();
    const dir = dataDir();
    expect((await cli(runArgs(dir, server))).code).toBe(0);
    const first = await snapshot(dir);
    expect((await cli(runArgs(dir, server))).code).toBe(0);
    expect(await snapshot(dir)).toEqual(first);
    for (const [name, key] of Object.entries(TABLE_KEYS)) {
      const [row] = await query(dir, `SELECT count(*) AS n, count(DISTINCT ${key}) AS d FROM ${name}`);
      expect(row['n']).toBe(row['d']);
    }
    const sotDir = join(dir, 'lake/sot/tbsot_fundamentus_indicadores_acoes_prep/anomesdia_exec=20220524');
    expect(readdirSync(sotDir).filter((f) => f.endsWith('.parquet'))).toHaveLength(1);
  });

  it('under 20% transient faults (500, 429, timeout, truncated body, challenge) all tickers still land', async () => {
    const server = await serve({ syntheticTickers: 40, faultRate: 0.2, seed: 7 });
    const dir = dataDir();
    const result = await cli(runArgs(dir, server, ['--retries', '4']));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/tickers: 40 landed, 0 failed/);
    const faults = Object.values(server.stats.faults).reduce((a, b) => a + b, 0);
    expect(faults).toBeGreaterThanOrEqual(5);
    const [spec] = await query(dir, `SELECT count(*) AS n FROM db_b3lake_spec.tbspec_fundamentus_cotacao_ativos`);
    expect(spec['n']).toBe(40);
    expect(existsSync(join(dir, 'dlq', `${DATE}.jsonl`))).toBe(false);
  });

  it('permanent faults: exactly the failing tickers are dead-lettered with reasons, others land, exit 5', async () => {
    const server = await serve({ permanentFailures: ['VALE3', 'MXRF11'] });
    const dir = dataDir();
    const result = await cli(runArgs(dir, server, ['--retries', '2']));
    expect(result.code).toBe(5);
    expect(result.stdout).toMatch(/tickers: 4 landed, 2 failed/);
    const letters = readFileSync(join(dir, 'dlq', `${DATE}.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(letters.map((l) => [l.ticker, l.kind, l.code, l.errorType, l.attempts])).toEqual([
      ['MXRF11', 'fiis', 'HTTP_ERROR', 'HTTP_ERROR', 2],
      ['VALE3', 'acoes', 'HTTP_ERROR', 'HTTP_ERROR', 2],
    ]);
    expect(letters[0].message).toMatch(/HTTP 500/);
    const specTickers = (
      await query(
        dir,
        `SELECT codigo_ticker_ativo AS t FROM db_b3lake_spec.tbspec_fundamentus_cotacao_ativos ORDER BY 1`,
      )
    ).map((r) => r['t']);
    expect(specTickers).toEqual(['HGLG11', 'ITUB4', 'PETR4', 'TAEE11']);

    // The failures clear: a re-run against a healthy source lands them and removes the dead letters.
    const healthy = await serve();
    expect((await cli(runArgs(dir, healthy))).code).toBe(0);
    expect(existsSync(join(dir, 'dlq', `${DATE}.jsonl`))).toBe(false);
  });

  it('a run SIGKILLed at a random point and re-run yields the same complete day; no file is ever partial', async () => {
    const server = await serve({ syntheticTickers: 60, latencyMs: 15 });
    const reference = dataDir();
    expect((await cli(runArgs(reference, server, ['--concurrency', '4']))).code).toBe(0);

    const dir = dataDir();
    const { child, done } = startCli(runArgs(dir, server, ['--concurrency', '4']));
    // Kill at a random moment of the extraction (60 tickers × 15 ms latency take about 1 s).
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const started = Date.now();
    while (!stderr.includes('b3lake: extract') && child.exitCode === null && Date.now() - started < 30_000)
      await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 1000)));
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.signal === 'SIGKILL' || killed.code === 0).toBe(true);

    // Every parquet file a reader can see is complete.
    const lake = join(dir, 'lake');
    const files = existsSync(lake)
      ? (readdirSync(lake, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => f.endsWith('.parquet'))
      : [];
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = readFileSync(join(dir, 'lake', file));
      await expect(
        parquetReadObjects({
          file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
        }),
      ).resolves.toBeDefined();
    }

    expect((await cli(runArgs(dir, server, ['--concurrency', '4']))).code).toBe(0);
    expect(await snapshot(dir)).toEqual(await snapshot(reference));
  });

  it('reprocess rebuilds SoR, SoT and Spec from the archive exactly, with no network', async () => {
    const server = await serve();
    const dir = dataDir();
    expect((await cli(runArgs(dir, server))).code).toBe(0);
    const before = await snapshot(dir, true);
    await session.stopServer();
    for (const sub of [
      'sor/tbsor_fundamentus_indicadores_acoes_raw',
      'sor/tbsor_fundamentus_indicadores_fiis_raw',
      'sot/tbsot_fundamentus_indicadores_acoes_prep',
      'sot/tbsot_fundamentus_indicadores_fiis_prep',
      'spec',
    ]) {
      rmSync(join(dir, 'lake', sub), { recursive: true, force: true });
    }
    const result = await cli(['reprocess', '--date', DATE, '--data-dir', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/from 6 archived pages .*: 6 ok, 0 failed/);
    expect(await snapshot(dir, true)).toEqual(before);
  });

  it('skips weekends and B3 holidays with a message and exit 0', async () => {
    const dir = dataDir();
    const result = await cli([
      'run',
      '--date',
      '2022-04-15',
      '--data-dir',
      dir,
      '--fundamentus-url',
      'http://127.0.0.1:9',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/2022-04-15 is not a B3 trading day \(Sexta-feira Santa\)/);
  });
});
