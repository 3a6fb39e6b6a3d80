/**
 * nx run bench:history — one year of synthetic history (250 trading-day partitions of the SoT
 * stock table), then "latest indicators with the 12-month change per ticker" through the DuckDB
 * catalog, over compacted partitions (1 object each) and over uncompacted ones (1 per ticker).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFsStore, TABLES, overwritePartition, table, writeObject, type Row } from '@b3lake/lake';
import { DuckDbCatalog } from '@b3lake/lake/duckdb';
import { isTradingDay, toAnomesdia } from '@b3lake/pipeline';
import { seededRandom, syntheticTicker } from '@b3lake/replay';

const DAYS = Number(process.env['BENCH_DAYS'] ?? 250);
const TICKERS = Number(process.env['BENCH_TICKERS'] ?? 100);
const SOT = table('sot_acoes');

const SOT_TABLE = 'db_b3lake_sot.tbsot_fundamentus_indicadores_acoes_prep';
const QUERY = `
WITH bounds AS (SELECT max(anomesdia_exec) AS last_day, min(anomesdia_exec) AS first_day FROM ${SOT_TABLE})
SELECT l.nome_papel, l.vlr_cot, l.vlr_ind_p_sobre_l, l.vlr_ind_div_yield, l.vlr_cot / f.vlr_cot - 1 AS var_12m
FROM ${SOT_TABLE} l
JOIN ${SOT_TABLE} f ON f.nome_papel = l.nome_papel
CROSS JOIN bounds
WHERE l.anomesdia_exec = bounds.last_day AND f.anomesdia_exec = bounds.first_day
ORDER BY var_12m DESC`;

function tradingDays(count: number, until: string): number[] {
  const days: number[] = [];
  for (let t = Date.parse(`${until}T00:00:00Z`); days.length < count; t -= 86_400_000) {
    const iso = new Date(t).toISOString().slice(0, 10);
    if (isTradingDay(iso)) days.push(toAnomesdia(iso));
  }
  return days.reverse();
}

async function timeQuery(dir: string, runs: number): Promise<{ ms: number; rows: number }> {
  const catalog = await DuckDbCatalog.open(join(dir, 'catalog.duckdb'), join(dir, 'lake'));
  try {
    await catalog.refresh(TABLES);
    let best = Number.POSITIVE_INFINITY;
    let rows = 0;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      rows = (await catalog.query(QUERY)).rows.length;
      best = Math.min(best, performance.now() - start);
    }
    return { ms: best, rows };
  } finally {
    catalog.close();
  }
}

async function main(): Promise<void> {
  const random = seededRandom(1);
  const tickers = Array.from({ length: TICKERS }, (_, i) => syntheticTicker(i, 'acoes'));
  const prices = tickers.map(() => 10 + random() * 90);
  const days = tradingDays(DAYS, '2022-05-24');
  const loose = mkdtempSync(join(tmpdir(), 'b3lake-hist-loose-'));
  const compact = mkdtempSync(join(tmpdir(), 'b3lake-hist-compact-'));
  try {
    const started = performance.now();
    const looseStore = new LocalFsStore(join(loose, 'lake', 'sot'));
    const compactStore = new LocalFsStore(join(compact, 'lake', 'sot'));
    for (const day of days) {
      const rows: Row[] = tickers.map((ticker, i) => {
        prices[i] *= 1 + (random() - 0.5) * 0.04;
        return {
          nome_papel: ticker,
          vlr_cot: Math.round(prices[i] * 100) / 100,
          vlr_ind_p_sobre_l: Math.round(random() * 3000) / 100,
          vlr_ind_div_yield: Math.round(random() * 150) / 1000,
          dt_ult_cot: `${String(day).slice(0, 4)}-${String(day).slice(4, 6)}-${String(day).slice(6)}`,
          ts_extracao: new Date(),
        };
      });
      await Promise.all(
        rows.map((row) => writeObject(looseStore, SOT, { anomesdia_exec: day }, String(row['nome_papel']), [row])),
      );
      // What finalize leaves: the partition as one object.
      await overwritePartition(compactStore, SOT, { anomesdia_exec: day }, rows);
    }
    console.log(
      `History: ${days.length} partitions × ${TICKERS} tickers (${days.length * TICKERS} rows), ` +
        `written in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const compacted = await timeQuery(compact, 3);
    const uncompacted = await timeQuery(loose, 1);
    console.log(
      `Query: latest indicators with the 12-month change per ticker (${compacted.rows} rows); ` +
        'compacted best of 3, uncompacted once',
    );
    console.log(
      `  compacted (1 object per partition, ${days.length} objects)        ${compacted.ms.toFixed(0)} ms` +
        '  (target < 1000 ms)',
    );
    console.log(
      `  not compacted (1 object per ticker, ${days.length * TICKERS} objects)   ${uncompacted.ms.toFixed(0)} ms`,
    );
    console.log(
      `  speed-up from compaction                             ${(uncompacted.ms / compacted.ms).toFixed(1)}×`,
    );
  } finally {
    rmSync(loose, { recursive: true, force: true });
    rmSync(compact, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
