/**
 * End-to-end: the real `b3lake backfill cotahist` and `b3lake run --kinds cotahist`, as child
 * processes, against the replay server's COTAHIST zips (synthetic: 9 instruments, one record each
 * per weekday up to the server's today), writing a lake that DuckDB reads.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ReplayOptions, ReplayServer } from '@b3lake/replay';
import { cli, e2eSession, query, startCli } from './cli-process';

jest.setTimeout(180_000);

const session = e2eSession('b3lake-backfill-');
const dataDir = () => session.dataDir();
/** The server's today: later files answer 404, as B3 does for sessions not published yet. */
const TODAY = '2022-05-24';
const serve = (options: Partial<ReplayOptions> = {}) => session.serve({ today: TODAY, ...options });

const SOT = 'db_b3lake_sot.tbsot_b3_cotacoes_historicas';
const SPOT = 'db_b3lake_spec.tbspec_b3_cotacoes_diarias';
/** The replay files' spot instruments: shares, a unit per 1,000, two FIIs, an ETF (not the option nor the odd lot). */
const SPOT_TICKERS = ['BOVA11', 'HGLG11', 'ITUB4', 'MXRF11', 'PETR4', 'TAEE11', 'VALE3'];

const backfillArgs = (dir: string, server: ReplayServer, from: string, to: string, extra: string[] = []) => [
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
  '--timeout',
  '2000',
  '--data-dir',
  dir,
  ...extra,
];

/** Every row of both COTAHIST tables, sorted. */
async function tables(dir: string): Promise<Record<string, unknown[]>> {
  const order = 'ORDER BY dt_pregao, codigo_ticker, tipo_mercado';
  return {
    sot: await query(dir, `SELECT * FROM ${SOT} ${order}`),
    spot: await query(dir, `SELECT * FROM ${SPOT} ${order}`),
  };
}

/** Every file under the lake with its modification time (nothing rewritten ⇔ equal). */
function files(dir: string): Record<string, number> {
  const lake = join(dir, 'lake');
  const names = readdirSync(lake, { recursive: true, encoding: 'utf8' }) as string[];
  return Object.fromEntries(
    names
      .filter((name) => statSync(join(lake, name)).isFile() && !name.includes('tbops_execucoes'))
      .sort()
      .map((name) => [name, statSync(join(lake, name)).mtimeMs]),
  );
}

afterAll(() => session.close());

describe('b3lake backfill cotahist (end to end)', () => {
  it('loads years and days; a re-run requests and rewrites nothing, identical tables; --force redoes', async () => {
    const server = await serve();
    const dir = dataDir();
    const years = await cli(backfillArgs(dir, server, '2020', '2021'));
    expect(years.stderr).toMatch(/backfill cotahist 2020 to 2021: 2 files to fetch, 0 already loaded/);
    expect(years.code).toBe(0);
    expect(years.stdout).toMatch(/^Backfill cotahist 2020 to 2021 complete/);
    // 2020 and 2021 have 249 trading days each: 9 records each, 7 of them spot.
    expect(years.stdout).toMatch(/^2020 +1 +2,241 +1,743 /m);
    expect(years.stdout).toMatch(/^2021 +1 +2,241 +1,743 /m);
    expect(server.stats.requests).toBe(2);

    const days = await cli(backfillArgs(dir, server, '2022-05-16', '2022-05-24'));
    expect(days.code).toBe(0);
    expect(days.stderr).toMatch(/7 files to fetch, 0 already loaded, 2 days left out \(weekends and B3 holidays\)/);
    expect(days.stdout).toMatch(/^2022 +7 +63 +49 /m);
    expect(server.stats.requests).toBe(9);

    const before = await tables(dir);
    expect(before.sot).toHaveLength(2241 + 2241 + 63);
    const written = files(dir);
    for (const [from, to] of [
      ['2020', '2021'],
      ['2022-05-16', '2022-05-24'],
    ]) {
      const again = await cli(backfillArgs(dir, server, from, to, ['--json']));
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ status: 'complete', plan: { toFetch: 0, fromArchive: 0 } });
    }
    expect(server.stats.requests).toBe(9);
    expect(files(dir)).toEqual(written);
    expect(await tables(dir)).toEqual(before);

    const forced = await cli(backfillArgs(dir, server, '2020', '2021', ['--force']));
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/2 files to fetch \(--force: every file again\)/);
    expect(server.stats.requests).toBe(11);
    expect(await tables(dir)).toEqual(before);
  });

  it('a day B3 has not published (404, or its HTML page) is reported and does not fail the backfill', async () => {
    const server = await serve({ cotahistHtml: ['COTAHIST_D23052022.ZIP'] });
    const dir = dataDir();
    const result = await cli(backfillArgs(dir, server, '2022-05-23', '2022-05-27'));
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/COTAHIST_D23052022\.ZIP: not published \(.* answered an HTML page, not a zip/);
    expect(result.stderr).toMatch(/COTAHIST_D25052022\.ZIP: not published \(.* answered HTTP 404\)/);
    expect(result.stdout).toMatch(/^2022 +1 +9 +7 .* 4 +0 +0$/m);
    expect(result.stdout).toMatch(
      /not published by B3 \(not yet, .*\): COTAHIST_D23052022\.ZIP, COTAHIST_D25052022\.ZIP, COTAHIST_D26052022\.ZIP/,
    );
  });

  it('Ctrl-C stops cleanly (exit 130), saying how to resume; resumed, the lake equals one backfill', async () => {
    const server = await serve({ latencyMs: 150 });
    const dir = dataDir();
    const args = backfillArgs(dir, server, '2022-03-01', '2022-05-24');
    const { child, done } = startCli(args);
    const landing = join(dir, 'lake/landing/cotahist/ano=2022');
    const started = Date.now();
    while (
      (!existsSync(landing) || readdirSync(landing).length < 5) &&
      child.exitCode === null &&
      Date.now() - started < 60_000
    )
      await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill('SIGINT');
    const stopped = await done;
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toMatch(/^Backfill cotahist 2022-03-01 to 2022-05-24 interrupted/);
    const resume = /Resume with: (npx b3lake backfill .*)$/m.exec(stopped.stderr)?.[1];
    expect(resume).toBe(
      `npx b3lake backfill cotahist --from 2022-03-01 --to 2022-05-24 --cotahist-url ${server.cotahistUrl} ` +
        `--min-interval 0 --data-dir ${dir}`,
    );
    const landed = Number(/interrupted: (\d+) of 58 files done/.exec(stopped.stderr)?.[1]);
    expect(landed).toBeGreaterThanOrEqual(4);
    expect(landed).toBeLessThan(58);
    // Nothing half-written: no temporary file in the lake, no scratch file left.
    const all = readdirSync(join(dir, 'lake'), { recursive: true, encoding: 'utf8' }) as string[];
    expect(all.filter((f) => /\.tmp|\.partial|~$/.test(f))).toEqual([]);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);

    const requests = server.stats.requests;
    const resumed = await cli(resume!.replace(/^npx b3lake /, '').split(' '));
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`(\\d+) files to fetch, .*${landed} already loaded`));
    // Only what had not landed is requested (an archived but unloaded file is loaded without a request).
    expect(server.stats.requests - requests).toBeLessThanOrEqual(58 - landed);

    const once = dataDir();
    expect((await cli(backfillArgs(once, await serve(), '2022-03-01', '2022-05-24'))).code).toBe(0);
    expect(await tables(dir)).toEqual(await tables(once));
  });

  it("query gives PETR4's closes; run --kinds cotahist appends the day, says when it is not published", async () => {
    const server = await serve();
    const dir = dataDir();
    expect((await cli(backfillArgs(dir, server, '2022-05-16', '2022-05-23'))).code).toBe(0);
    const closes = await cli([
      'query',
      `SELECT dt_pregao, vlr_fechamento FROM ${SPOT} WHERE codigo_ticker = 'PETR4' ORDER BY dt_pregao`,
      '--format',
      'json',
      '--data-dir',
      dir,
    ]);
    expect(closes.code).toBe(0);
    const rows = JSON.parse(closes.stdout) as { dt_pregao: string; vlr_fechamento: number }[];
    expect(rows.map((r) => r.dt_pregao)).toEqual([
      '2022-05-16',
      '2022-05-17',
      '2022-05-18',
      '2022-05-19',
      '2022-05-20',
      '2022-05-23',
    ]);
    for (const row of rows) expect(row.vlr_fechamento).toBeGreaterThan(10);

    // The COTAHIST folder is found beside the B3 mirror (--b3-url), as the replay server serves both.
    const day = ['run', '--date', TODAY, '--kinds', 'cotahist', '--b3-url', server.url, '--data-dir', dir];
    const run = await cli(day);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/COTAHIST_D24052022\.ZIP: loaded \(9 quotes, 7 spot rows\)/);
    const spot = await query<{ codigo_ticker: string }>(
      dir,
      `SELECT codigo_ticker FROM ${SPOT} WHERE dt_pregao = DATE '${TODAY}' ORDER BY codigo_ticker`,
    );
    expect(spot.map((r) => r.codigo_ticker)).toEqual(SPOT_TICKERS);
    const status = await cli(['status', '--date', TODAY, '--data-dir', dir]);
    expect(status.stdout).toMatch(/cotahist: COTAHIST_D24052022\.ZIP loaded \(9 quotes, 7 spot rows\)/);
    // Again: nothing fetched.
    const requests = server.stats.requests;
    expect((await cli(day)).stdout).toMatch(/already loaded by an earlier run/);
    expect(server.stats.requests).toBe(requests);

    const next = await cli([
      'run',
      '--date',
      '2022-05-25',
      '--kinds',
      'cotahist',
      '--b3-url',
      server.url,
      '--data-dir',
      dir,
    ]);
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(/warning: B3 has not published COTAHIST_D25052022\.ZIP yet/);
    expect(next.stdout).toMatch(
      new RegExp(`later: npx b3lake run --date 2022-05-25 --kinds cotahist --b3-url ${server.url} --data-dir ${dir}`),
    );
  });
});
