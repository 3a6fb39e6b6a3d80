/**
 * End-to-end: the real `b3lake run` with the proventos kind, as a child process, against the
 * replay server's dividend pages (synthetic, deterministic up to the server's today): one request
 * per listed ticker, a re-run of the same week gives identical rows, a changed history (a row
 * removed, a row added: the server's proventosChanged switch) is reported in the summary and the
 * run manifest, Ctrl-C then the printed resume equals one run, and the yield view answers for a FII
 * once a small COTAHIST backfill gave it prices.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ProventosPages, type ReplayOptions, type ReplayServer } from '@b3lake/replay';
import { cli, e2eSession, query, runArgs, startCli } from './cli-process';

jest.setTimeout(240_000);

const session = e2eSession('b3lake-proventos-');
const dataDir = () => session.dataDir();
/** A Friday: the weekly dividend run is due. The server's today, so its pages end there. */
const FRIDAY = '2022-05-27';
const serve = (options: Partial<ReplayOptions> = {}) => session.serve({ today: FRIDAY, ...options });

const PROVENTOS = 'db_b3lake_sot.tbsot_fundamentus_proventos';
const YIELD = 'db_b3lake_spec.vwspec_proventos_yield_12m';
const RUNS = 'db_b3lake_ops.tbops_execucoes';

type Row = Record<string, unknown>;

/** `run --kinds proventos` of `date` against the server. */
const proventosArgs = (dir: string, server: ReplayServer, date = FRIDAY, extra: string[] = []) =>
  runArgs(dir, server, ['--kinds', 'proventos', ...extra], date);

/** Every history, by ticker then row key. */
const histories = (dir: string) => query<Row>(dir, `SELECT * FROM ${PROVENTOS} ORDER BY codigo_ticker, id_provento`);
const withoutFetchTime = (rows: Row[]) => rows.map(({ ts_extracao: _, ...row }) => row);

/** What the server serves, read from its own generator: the listings it serves, the same today and seed. */
async function served(server: ReplayServer): Promise<ProventosPages> {
  const get = async (path: string) => Buffer.from(await (await fetch(`${server.url}${path}`)).arrayBuffer());
  const listings = { acoes: await get('/resultado.php'), fiis: await get('/fii_resultado.php') };
  return new ProventosPages({ listings, today: server.today, seed: 42, changed: server.proventosChanged });
}

/** Files under a folder, recursively (none when it does not exist). */
const filesUnder = (dir: string): string[] =>
  existsSync(dir)
    ? (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => /\./.test(f))
    : [];

afterAll(() => session.close());

describe('b3lake run --kinds proventos (end to end)', () => {
  it('a weekly run requests one page per listed ticker; the same week again gives identical rows', async () => {
    const server = await serve({ syntheticTickers: 40 });
    const dir = dataDir();
    const listed = server.tickers.acoes.length + server.tickers.fiis.length;
    const first = await cli(proventosArgs(dir, server, FRIDAY, ['--json']));
    expect(first.code).toBe(0);
    // Two listings (this lake had none of the day), then one dividend page per listed ticker.
    expect(server.stats.requests).toBe(2 + listed);
    const summary = JSON.parse(first.stdout) as { status: string; proventos: Row & { tickers: Row } };
    expect(summary.status).toBe('complete');
    expect(summary.proventos.tickers).toEqual({
      total: listed,
      fetched: listed,
      restored: 0,
      failed: 0,
      notAttempted: 0,
    });

    // Every row as the server's generator made it: an independent reading of the pages served.
    const rows = await histories(dir);
    expect(rows).toHaveLength(summary.proventos['rows'] as number);
    const pages = await served(server);
    for (const ticker of [server.tickers.acoes[0], server.tickers.fiis[0]]) {
      const expected = pages
        .history(ticker)!
        .map((p) => [p.dataCom, p.tipo, p.valor, p.porQuantasAcoes, p.dataPagamento, p.valor / p.porQuantasAcoes]);
      const mine = rows
        .filter((r) => r['codigo_ticker'] === ticker)
        .sort((a, b) => String(b['dt_com']).localeCompare(String(a['dt_com'])));
      expect(
        mine
          .map((r) => [
            r['dt_com'],
            r['tipo_provento'],
            r['vlr_provento'],
            r['qtd_acoes_base'],
            r['dt_pagamento'],
            r['vlr_provento_por_acao'],
          ])
          .sort(),
      ).toEqual(expected.sort());
    }

    // The same day again: nothing requested, identical rows (the fetch time included).
    const requests = server.stats.requests;
    const again = await cli(proventosArgs(dir, server));
    expect(again.code).toBe(0);
    expect(server.stats.requests).toBe(requests);
    expect(again.stdout).toMatch(
      new RegExp(`proventos: ${listed} histories landed \\(${listed} from pages archived earlier today, no request\\)`),
    );
    expect(again.stdout).toMatch(/0 added, 0 removed/);
    expect(await histories(dir)).toEqual(rows);

    // Another day of the same week (Monday) fetches again: the same rows, a later fetch time.
    const monday = await cli(proventosArgs(dir, server, '2022-05-23'));
    expect(monday.code).toBe(0);
    expect(server.stats.requests).toBe(requests + 2 + listed);
    expect(monday.stdout).toMatch(/0 added, 0 removed/);
    expect(withoutFetchTime(await histories(dir))).toEqual(withoutFetchTime(rows));
  });

  it("the Friday run's default kinds include the dividend pages; other days' do not", async () => {
    const server = await serve({ ownValues: true, quoteDate: FRIDAY });
    const daily = (date: string) => [
      'run',
      '--date',
      date,
      '--fundamentus-url',
      server.url,
      '--b3-url',
      server.url,
      '--min-interval',
      '0',
      '--data-dir',
      dataDir(),
      '--json',
    ];
    const thursday = await cli(daily('2022-05-26'));
    const weekday = JSON.parse(thursday.stdout) as Row;
    expect(weekday['proventos']).toBeUndefined();
    const requests = server.stats.requests;
    const friday = await cli(daily(FRIDAY));
    expect(friday.code).toBe(0);
    const summary = JSON.parse(friday.stdout) as { tickers: { total: number }; proventos: { tickers: Row } };
    const listed = summary.tickers.total;
    expect(listed).toBe(6);
    expect(summary.proventos.tickers).toMatchObject({ total: listed, fetched: listed });
    // 2 listings, a detail page per ticker, the IBOV portfolio, the day's COTAHIST file, a dividend page per ticker.
    expect(server.stats.requests - requests).toBe(2 + listed + 1 + 1 + listed);
  });

  it('a changed history (a row removed, a row added) is in the summary, on stderr and in the manifest', async () => {
    const server = await serve();
    const dir = dataDir();
    expect((await cli(proventosArgs(dir, server))).code).toBe(0);
    const before = (await histories(dir)).filter((r) => r['codigo_ticker'] === 'HGLG11').map((r) => r['id_provento']);

    server.proventosChanged.add('HGLG11');
    const week = '2022-06-03';
    const changed = await cli(proventosArgs(dir, server, week));
    expect(changed.code).toBe(0);
    const after = (await histories(dir)).filter((r) => r['codigo_ticker'] === 'HGLG11').map((r) => r['id_provento']);
    const removed = before.filter((id) => !after.includes(id));
    const added = after.filter((id) => !before.includes(id));
    expect(removed).toHaveLength(1);
    expect(added).toHaveLength(1);
    expect(after).toHaveLength(before.length);
    expect(changed.stdout).toMatch(
      /rows: \d+ in the histories landed; 1 added, 1 removed since the previous snapshots/,
    );
    expect(changed.stdout).toContain(`history changed: HGLG11 1 removed, 1 added (removed: ${removed[0]})`);
    const warning =
      `proventos HGLG11: history changed since its previous snapshot: 1 row removed (${removed[0]}); ` +
      `1 row added (${added[0]})`;
    expect(changed.stderr).toContain(`b3lake: warning: ${warning}`);

    const status = await cli(['status', '--date', week, '--data-dir', dir]);
    expect(status.stdout).toContain(`  warning: ${warning}`);
    expect(status.stdout).toContain('  dividend rows: 1 new, 1 removed since the previous snapshots');
    const [manifest] = await query<{ status: string; json_avisos: string; added: number; removed: number }>(
      dir,
      `SELECT status, json_avisos, qtd_proventos_linhas_novas AS added, qtd_proventos_linhas_removidas AS removed
       FROM ${RUNS} WHERE dt_negocio = DATE '${week}'`,
    );
    expect(manifest).toMatchObject({ status: 'complete', added: 1, removed: 1 });
    expect(JSON.parse(manifest.json_avisos)).toEqual([warning]);

    // Fetched again, the changed page changes nothing more.
    const same = await cli(proventosArgs(dir, server, '2022-06-10'));
    expect(same.stdout).toMatch(/0 added, 0 removed/);
    expect(same.stdout).not.toMatch(/history changed/);
  });

  it('Ctrl-C stops cleanly (exit 130) with the command that resumes; resumed, the histories equal a run', async () => {
    const server = await serve({ syntheticTickers: 60, latencyMs: 80 });
    const dir = dataDir();
    const { child, done } = startCli(proventosArgs(dir, server, FRIDAY, ['--concurrency', '2']));
    const archive = join(dir, 'lake/landing/fundamentus-proventos/anomesdia_exec=20220527');
    const started = Date.now();
    while (filesUnder(archive).length < 8 && child.exitCode === null && Date.now() - started < 60_000)
      await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill('SIGINT');
    const stopped = await done;
    expect(stopped.code).toBe(130);
    const resume = /Resume with: (npx b3lake run .*)$/m.exec(stopped.stderr)?.[1];
    expect(resume).toBe(
      `npx b3lake run --date ${FRIDAY} --kinds proventos --fundamentus-url ${server.url} --b3-url ${server.url} ` +
        `--min-interval 0 --data-dir ${dir}`,
    );
    const archived = filesUnder(archive).length;
    expect(archived).toBeGreaterThanOrEqual(8);
    expect(archived).toBeLessThan(60);
    expect(filesUnder(join(dir, 'lake')).filter((f) => /\.tmp|\.partial|~$/.test(f))).toEqual([]);

    const requests = server.stats.requests;
    const resumed = await cli(resume!.replace(/^npx b3lake /, '').split(' '));
    expect(resumed.code).toBe(0);
    // The archived pages land without a request (the listings too).
    expect(server.stats.requests - requests).toBe(60 - archived);
    expect(resumed.stdout).toMatch(new RegExp(`\\(${archived} from pages archived earlier today, no request\\)`));

    const once = dataDir();
    expect((await cli(proventosArgs(once, await serve({ syntheticTickers: 60 })))).code).toBe(0);
    expect(withoutFetchTime(await histories(dir))).toEqual(withoutFetchTime(await histories(once)));
  });

  it('every page lands through transient faults (the retries of the same polite client)', async () => {
    const server = await serve({ faultRate: 0.3, faultKinds: ['500', '429', 'truncate', 'challenge'] });
    const dir = dataDir();
    const result = await cli(proventosArgs(dir, server));
    expect(result.code).toBe(0);
    expect(server.stats.faults['500'] + server.stats.faults['429'] + server.stats.faults.truncate).toBeGreaterThan(0);
    const clean = dataDir();
    expect((await cli(proventosArgs(clean, await serve()))).code).toBe(0);
    expect(withoutFetchTime(await histories(dir))).toEqual(withoutFetchTime(await histories(clean)));
  });

  it('the yield view answers for a FII on a date once a small COTAHIST backfill gave it prices', async () => {
    const server = await serve();
    const dir = dataDir();
    expect((await cli(proventosArgs(dir, server))).code).toBe(0);
    const backfill = await cli([
      'backfill',
      'cotahist',
      '--from',
      '2022-05-23',
      '--to',
      FRIDAY,
      '--cotahist-url',
      server.cotahistUrl,
      '--min-interval',
      '0',
      '--data-dir',
      dir,
    ]);
    expect(backfill.code).toBe(0);

    const sql =
      'SELECT y.codigo_ticker, y.vlr_fechamento, y.qtd_proventos_12m, y.vlr_proventos_12m, y.pct_yield_12m ' +
      `FROM ${YIELD} y JOIN db_b3lake_spec.tbspec_b3_cotacoes_diarias c ` +
      'ON c.codigo_ticker = y.codigo_ticker AND c.dt_pregao = y.dt_pregao ' +
      `WHERE y.dt_pregao = DATE '${FRIDAY}' AND c.cod_bdi = '12' ORDER BY y.pct_yield_12m DESC`;
    const answer = await cli(['query', sql, '--format', 'json', '--data-dir', dir]);
    expect(answer.code).toBe(0);
    const fiis = JSON.parse(answer.stdout) as {
      codigo_ticker: string;
      vlr_fechamento: number;
      qtd_proventos_12m: number;
      vlr_proventos_12m: number;
      pct_yield_12m: number;
    }[];
    expect(fiis.map((f) => f.codigo_ticker).sort()).toEqual(['HGLG11', 'MXRF11']);
    expect(fiis[0].pct_yield_12m).toBeGreaterThanOrEqual(fiis[1].pct_yield_12m);

    // The same figures from the server's own history and the COTAHIST close: data com in (D − 12 months, D].
    const pages = await served(server);
    const [close] = await query<{ vlr_fechamento: number }>(
      dir,
      `SELECT vlr_fechamento FROM db_b3lake_spec.tbspec_b3_cotacoes_diarias WHERE codigo_ticker = 'HGLG11' ` +
        `AND dt_pregao = DATE '${FRIDAY}'`,
    );
    const window = pages.history('HGLG11')!.filter((p) => p.dataCom > '2021-05-27' && p.dataCom <= FRIDAY);
    const cash = window.reduce((sum, p) => sum + p.valor / p.porQuantasAcoes, 0);
    const hglg11 = fiis.find((f) => f.codigo_ticker === 'HGLG11')!;
    expect(window.length).toBeGreaterThanOrEqual(12);
    expect(hglg11.qtd_proventos_12m).toBe(window.length);
    expect(hglg11.vlr_fechamento).toBe(close.vlr_fechamento);
    expect(hglg11.vlr_proventos_12m).toBeCloseTo(cash, 9);
    expect(hglg11.pct_yield_12m).toBeCloseTo(cash / close.vlr_fechamento, 9);
  });
});
