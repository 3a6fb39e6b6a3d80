/**
 * nx run bench:pipeline — a full local run over a synthetic market served with 100 ms latency
 * per request, at concurrency 8, against the ideal ceil(N/8) × 100 ms; peak RSS; objects per
 * table partition after finalize.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WORKSPACE, cli, startReplayServer } from '@b3lake/replay';

const TICKERS = Number(process.env['BENCH_TICKERS'] ?? 1400);
const LATENCY_MS = Number(process.env['BENCH_LATENCY_MS'] ?? 100);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 8);

async function main(): Promise<void> {
  execFileSync(process.execPath, ['tools/build/build-cli.mjs'], { cwd: WORKSPACE, stdio: 'ignore' });
  const server = await startReplayServer({
    fixturesDir: resolve(WORKSPACE, 'tools/fixtures'),
    syntheticTickers: TICKERS,
    latencyMs: LATENCY_MS,
  });
  const dir = mkdtempSync(join(tmpdir(), 'b3lake-bench-'));
  try {
    const args = [
      'run',
      '--date',
      '2022-05-24',
      '--kinds',
      'acoes,fiis',
      '--json',
      '--data-dir',
      dir,
      '--fundamentus-url',
      server.url,
      '--b3-url',
      server.url,
      '--min-interval',
      '0',
      '--concurrency',
      String(CONCURRENCY),
    ];
    const started = Date.now();
    // The bundled CLI is what `npm start` runs (built above).
    const { code, stdout } = await cli(args, { bundled: true });
    const wallMs = Date.now() - started;
    if (code !== 0) throw new Error(`run exited ${code}: ${stdout.slice(0, 500)}`);
    const summary = JSON.parse(stdout) as {
      phaseMs: Record<string, number>;
      durationMs: number;
      peakRssMb: number;
      tickers: { ok: number; total: number };
      tables: { table: string; rows: number; objectsAfter: number }[];
    };
    const ideal = Math.ceil(summary.tickers.total / CONCURRENCY) * LATENCY_MS;
    console.log(
      `Full run: ${summary.tickers.ok}/${summary.tickers.total} tickers, ` +
        `${LATENCY_MS} ms latency per request, concurrency ${CONCURRENCY}`,
    );
    console.log(`  pipeline time (run summary)      ${(summary.durationMs / 1000).toFixed(2)} s`);
    console.log(`  ideal ceil(N/${CONCURRENCY}) × ${LATENCY_MS} ms          ${(ideal / 1000).toFixed(2)} s`);
    console.log(`  ratio                            ${(summary.durationMs / ideal).toFixed(3)}×  (target ≤ 1.15×)`);
    console.log(
      `  phases                           ${Object.entries(summary.phaseMs)
        .map(([p, ms]) => `${p} ${(ms / 1000).toFixed(2)} s`)
        .join(', ')}`,
    );
    const wallSeconds = (wallMs / 1000).toFixed(2);
    console.log(`  wall time incl. process start    ${wallSeconds} s (${(wallMs / ideal).toFixed(3)}×)`);
    console.log(`  peak RSS                         ${summary.peakRssMb} MB  (target ≤ 256 MB)`);
    console.log(`  requests served                  ${server.stats.requests}`);
    const objects = summary.tables.map((t) => t.objectsAfter);
    console.log(
      `  objects per table partition      max ${Math.max(...objects)} over ${summary.tables.length} tables (target 1)`,
    );
    for (const t of summary.tables)
      console.log(`    ${t.table.padEnd(44)} ${String(t.rows).padStart(5)} rows  ${t.objectsAfter} object`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
