/**
 * Issue 9: queries are never blocked by a run. A real `b3lake run` writes one day while real
 * `b3lake query` processes read the day before, through the same data dir.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReplayServer, type ReplayServer } from '@b3lake/replay';
import { FIXTURES, cli, startCli } from './cli-process';

jest.setTimeout(180_000);

const SPEC = 'db_b3lake_spec.tbspec_fundamentus_cotacao_ativos';
let dir: string;
let server: ReplayServer | undefined;

function runArgs(date: string, url: string): string[] {
  return ['run', '--date', date, '--data-dir', dir, '--fundamentus-url', url, '--b3-url', url];
}

async function countOfDay(anomesdia: number): Promise<{ code: number | null; rows: unknown }> {
  const sql = `SELECT count(*) AS n FROM ${SPEC} WHERE anomesdia_exec = ${anomesdia}`;
  const result = await cli(['query', sql, '--format', 'json', '--data-dir', dir]);
  return { code: result.code, rows: result.code === 0 ? JSON.parse(result.stdout) : result.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'b3lake-e2e-query-'));
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('b3lake query while b3lake run writes', () => {
  it('reads the complete earlier day, unchanged, all through a slow run of the next day', async () => {
    server = await startReplayServer({ fixturesDir: FIXTURES, retryAfterSeconds: 0 });
    const first = await cli([...runArgs('2022-05-24', server.url), '--min-interval', '0']);
    expect(first.code).toBe(0);
    await server.stop();

    // 1.5 s per response, one request at a time: the run lasts well beyond a few query processes.
    server = await startReplayServer({ fixturesDir: FIXTURES, retryAfterSeconds: 0, latencyMs: 1500 });
    const run = startCli([...runArgs('2022-05-25', server.url), '--concurrency', '1', '--min-interval', '0']);
    let running = true;
    const finished = run.done.finally(() => (running = false));
    // Wait for the run to write (its first archived page), then query beside it.
    while (!existsSync(join(dir, 'lake', 'landing', 'fundamentus', 'anomesdia_exec=20220525')) && running)
      await new Promise((r) => setTimeout(r, 100));
    expect(running).toBe(true);

    const during = await Promise.all([countOfDay(20220524), countOfDay(20220524)]);
    expect(running).toBe(true);
    expect(during).toEqual([
      { code: 0, rows: [{ n: 6 }] },
      { code: 0, rows: [{ n: 6 }] },
    ]);
    const tables = await cli(['tables', '--data-dir', dir]);
    expect(tables.code).toBe(0);
    expect(running).toBe(true);

    const result = await finished;
    expect(result.stderr).toContain('b3lake: finalize');
    expect(await countOfDay(20220525)).toEqual({ code: 0, rows: [{ n: 6 }] });
  });
});
