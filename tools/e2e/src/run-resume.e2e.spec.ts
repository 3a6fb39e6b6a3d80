/**
 * End-to-end, the real `b3lake` command as a child process against the replay server: a day is
 * never silently mislabelled, a run resumes where it stopped, and every run is in the manifest.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ReplayOptions, ReplayServer } from '@b3lake/replay';
import { DATE, cli, e2eSession, query, runArgs as dayArgs, startCli } from './cli-process';

jest.setTimeout(120_000);

const session = e2eSession('b3lake-resume-');
const dataDir = () => session.dataDir();
const serve = (options?: Partial<ReplayOptions>) => session.serve(options);
/** One day of stocks and FIIs (no IBOV: the counts below are of detail pages). */
const runArgs = (dir: string, server: ReplayServer, extra: string[] = [], date = DATE) =>
  dayArgs(dir, server, ['--kinds', 'acoes,fiis', ...extra], date);

const detailRequests = (server: ReplayServer) => server.stats.requests;

afterAll(() => session.close());

describe('b3lake run: dates, resume, manifest (end to end)', () => {
  it('refuses another date against the live sites, pointing at reprocess, before any request (exit 2)', async () => {
    const dir = dataDir();
    const result = await cli(['run', '--date', '2022-05-19', '--data-dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the live sites serve only today's data/);
    expect(result.stderr).toMatch(
      /This lake has no archived pages of 2022-05-19, so that day cannot be fetched any more/,
    );
    expect(existsSync(join(dir, 'lake'))).toBe(false);
    // A lake that archived the day is pointed at reprocess.
    mkdirSync(join(dir, 'lake/landing/fundamentus/anomesdia_exec=20220519'), { recursive: true });
    const archived = await cli(['run', '--date', '2022-05-19', '--data-dir', dir]);
    expect(archived.code).toBe(2);
    expect(archived.stderr).toContain(`npx b3lake reprocess --date 2022-05-19 --data-dir ${dir}`);
  });

  it('warns when the pages are not of the business date, and the manifest keeps the warning', async () => {
    const server = await serve();
    const dir = dataDir();
    const result = await cli(runArgs(dir, server, ['--kinds', 'acoes'], '2022-05-25'));
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /warning: Fundamentus' latest quote is of 2022-05-24, not of the business date 2022-05-25/,
    );
    const status = await cli(['status', '--date', '2022-05-25', '--data-dir', dir]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^2022-05-25 {2}complete/);
    expect(status.stdout).toMatch(/source dates: fundamentus 2022-05-24/);
    expect(status.stdout).toMatch(/warning: Fundamentus' latest quote is of 2022-05-24/);
  });

  it('Ctrl-C stops cleanly with a resume hint (exit 130); the re-run fetches only what had not landed', async () => {
    const server = await serve({ syntheticTickers: 80, latencyMs: 40 });
    const dir = dataDir();
    const { child, done } = startCli(runArgs(dir, server, ['--concurrency', '2']));
    // Stop once some pages are archived (80 tickers × 40 ms at concurrency 2 take about 2 s).
    const pages = join(dir, 'lake/landing/fundamentus/anomesdia_exec=20220524/acoes');
    const started = Date.now();
    while (
      (!existsSync(pages) || readdirSync(pages).length < 10) &&
      child.exitCode === null &&
      Date.now() - started < 30_000
    )
      await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    const stopped = await done;
    expect(stopped.code).toBe(130);
    const landed = Number(/interrupted: (\d+) of 80 tickers landed/.exec(stopped.stderr)?.[1]);
    expect(landed).toBeGreaterThan(0);
    expect(landed).toBeLessThan(80);
    // The resume command reaches the same sources for the same kinds.
    expect(stopped.stderr).toContain(
      `Resume with: npx b3lake run --date ${DATE} --kinds acoes,fiis --fundamentus-url ${server.url} ` +
        `--b3-url ${server.url} --min-interval 0 --data-dir ${dir}`,
    );
    // Nothing half-written: no temporary file is left, and every landed page is archived.
    const files = readdirSync(join(dir, 'lake'), { recursive: true, encoding: 'utf8' }) as string[];
    expect(files.filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(files.filter((f) => /anomesdia_exec=20220524\/(acoes|fiis)\/[A-Z0-9]+\.html\.gz$/.test(f))).toHaveLength(
      landed,
    );

    // The stopped run's last request may still be on its way to the server: count from when it has arrived.
    await server.settled();
    const before = detailRequests(server);
    const resumed = await cli(runArgs(dir, server, ['--json']));
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout);
    expect(summary).toMatchObject({ status: 'complete', tickers: { ok: 80, restored: landed, total: 80 } });
    // Only the tickers that had not landed were requested (the listings come from the archive too).
    expect(detailRequests(server) - before).toBe(80 - landed);
    const [spec] = await query(dir, 'SELECT count(*) AS n FROM db_b3lake_spec.tbspec_fundamentus_cotacao_ativos');
    expect(spec['n']).toBe(80);

    const status = JSON.parse((await cli(['status', '--date', DATE, '--json', '--data-dir', dir])).stdout);
    expect(status.map((r: { status: string }) => r.status)).toEqual(['interrupted', 'complete']);
    const manifest = await query(
      dir,
      `SELECT status, qtd_tickers_carregados AS landed, qtd_tickers_arquivo AS restored
       FROM db_b3lake_ops.tbops_execucoes ORDER BY ts_inicio`,
    );
    expect(manifest).toEqual([
      { status: 'interrupted', landed, restored: 0 },
      { status: 'complete', landed: 80, restored: landed },
    ]);

    // --force refetches every ticker.
    const beforeForce = detailRequests(server);
    expect((await cli(runArgs(dir, server, ['--force']))).code).toBe(0);
    expect(detailRequests(server) - beforeForce).toBe(80 + 2);
  });

  it('--only-failed retries the dead letters and nothing else', async () => {
    const server = await serve({ permanentFailures: ['VALE3'] });
    const dir = dataDir();
    const first = await cli(runArgs(dir, server, ['--retries', '1']));
    expect(first.code).toBe(5);
    expect(first.stdout).toContain(`--only-failed`);
    server.broken.permanent.clear();
    const before = detailRequests(server);
    const retried = await cli(runArgs(dir, server, ['--only-failed']));
    expect(retried.code).toBe(0);
    expect(detailRequests(server) - before).toBe(1);
    expect(existsSync(join(dir, 'dlq', `${DATE}.jsonl`))).toBe(false);
    expect(
      readFileSync(join(dir, 'lake/landing/fundamentus/anomesdia_exec=20220524/acoes/VALE3.html.gz')).length,
    ).toBeGreaterThan(0);
  });
});
