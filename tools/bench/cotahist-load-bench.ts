/**
 * nx run bench:cotahist-load — a synthetic year of COTAHIST (1,000,400 records, ~245 MB of text:
 * the recorded 2021-03-26 day on 164 trading days of 2021, prices moved day by day) loaded into
 * a lake as the pipeline loads it: the file archived in the landing zone, then
 * loadCotahistFile (libs/pipeline) → tbsot_b3_cotacoes_historicas + tbspec_b3_cotacoes_diarias,
 * with the DuckDB writer (local runs and backfills) from the text and from the zip, and for
 * information with the hyparquet writer (the Lambda path). Each load runs in its own process:
 * seconds, MB/s of text, records/s, peak RSS (the whole process, bundled as the CLI is: node, the
 * bundle, DuckDB). In the same run, pandas.read_fwf with the layout's widths on the same text file.
 * Ends with the targets of issue 10 (≥ 50 MB/s, ≥ 10× pandas.read_fwf, ≤ 300 MB) and PASS/MISS.
 * Installs nothing.
 *
 * BENCH_DAYS (164) trading days; BENCH_RUNS (5) loads of each DuckDB variant, interleaved, their
 * median against the targets (pandas runs once: ~35 s and ~3 GB); BENCH_HYPARQUET=0 skips the
 * hyparquet writer; BENCH_DIR keeps the year's files there (built once, reused).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadCotahistFile } from '@b3lake/pipeline';
import { zipFile } from '@b3lake/scraper/testing';
import { bundled, runChild } from './bundled-child';
import { archive, benchContext, makeWriter, sizeOf } from './cotahist-lake';
import { dayTemplate, tradingDays, wholeDay, writeSyntheticText } from './cotahist-synthetic';
import { pythonWithPandas, runPandas } from './cotahist-pandas';
import { loadLine, median, printVerdicts, type Verdict } from './verdicts';

const DAYS = Number(process.env['BENCH_DAYS'] ?? 164);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const MB = 1e6;
const TARGET_MBS = 50;
const TARGET_PANDAS = 10;
const TARGET_RSS_MB = 300;

export interface LoadFigures {
  writer: string;
  seconds: number;
  cpuSeconds: number;
  quotes: number;
  spotRows: number;
  peakRss: number;
  parquetBytes: number;
}

/** Child mode `--load WRITER FILE`: one load into a new lake beside FILE; prints its figures as JSON. */
async function load(writerName: string, file: string): Promise<void> {
  const lake = mkdtempSync(join(dirname(file), 'lake-'));
  try {
    const name = file.split('/').pop() as string;
    archive(lake, file, name);
    const ctx = benchContext(lake, makeWriter(writerName, lake));
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const result = await loadCotahistFile(ctx, name);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    const figures: LoadFigures = {
      writer: writerName,
      seconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      quotes: result.loaded.quotes,
      spotRows: result.loaded.spotRows,
      peakRss: process.resourceUsage().maxRSS * 1024,
      parquetBytes: sizeOf(join(lake, 'sot')) + sizeOf(join(lake, 'spec')),
    };
    console.log(JSON.stringify(figures));
  } finally {
    rmSync(lake, { recursive: true, force: true });
  }
}

/** Child mode `--baseline`: the same imports, nothing loaded: the process's own peak RSS. */
function baseline(): void {
  console.log(JSON.stringify({ peakRss: process.resourceUsage().maxRSS * 1024 }));
}

let script = '';
const child = <T>(args: string[]): T => runChild<T>(script, args).figures;

/** The synthetic year as COTAHIST_A2021.TXT and .ZIP in `dir` (kept when they are there). */
async function buildYear(dir: string) {
  const template = dayTemplate();
  const days = tradingDays(2021).slice(0, DAYS);
  const text = join(dir, 'COTAHIST_A2021.TXT');
  const zip = join(dir, 'COTAHIST_A2021.ZIP');
  const marker = join(dir, `year-${DAYS}.done`);
  let quotes = template.records.length * days.length;
  if (!existsSync(marker)) {
    quotes = await writeSyntheticText(text, { name: 'COTAHIST_A2021.TXT', days, pick: wholeDay }, template);
    await zipFile(text, zip, 'COTAHIST_A2021.TXT');
    writeFileSync(marker, '');
  }
  return { text, zip, quotes, source: template.source, days: days.length };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

async function main(): Promise<void> {
  const kept = process.env['BENCH_DIR'];
  const dir = kept ? resolve(kept) : mkdtempSync(join(tmpdir(), 'b3lake-cotahist-load-'));
  mkdirSync(dir, { recursive: true });
  try {
    console.log(`bench:cotahist-load — ${loadLine()} at start`);
    script = bundled(__filename);
    const { text, zip, quotes, source, days } = await buildYear(dir);
    const textBytes = statSync(text).size;
    console.log(`synthetic year from ${source}: ${days} trading days of 2021, ${fmt(quotes)} quotes`);
    console.log(`text ${fmt(textBytes / MB)} MB, zip ${fmt(statSync(zip).size / MB)} MB\n`);

    const base = child<{ peakRss: number }>(['--baseline']);
    console.log(
      `each load in its own process, bundled as the CLI is (${script.replace(`${process.cwd()}/`, '')}); ` +
        `the same process loading nothing: peak RSS ${fmt(base.peakRss / MB)} MB`,
    );
    // The DuckDB loads RUNS times, interleaved (text, zip, text, zip…); hyparquet (slow, no target) once.
    const variants: [string, string, string][] = [
      ['load text, DuckDB writer', 'duckdb', text],
      ['load zip, DuckDB writer', 'duckdb', zip],
    ];
    const order = Array.from({ length: RUNS }, () => variants).flat();
    if (process.env['BENCH_HYPARQUET'] !== '0') order.push(['load text, hyparquet writer', 'hyparquet', text]);
    const runs = new Map<string, LoadFigures[]>();
    for (const [label, writer, file] of order) {
      const f = child<LoadFigures>(['--load', writer, file]);
      if (f.quotes !== quotes) throw new Error(`${label}: ${f.quotes} quotes loaded, expected ${quotes}`);
      runs.set(label, [...(runs.get(label) ?? []), f]);
      console.log(
        `${label.padEnd(30)} ${f.seconds.toFixed(2).padStart(6)} s  ` +
          `${fmt(textBytes / MB / f.seconds, 1).padStart(5)} MB/s of text  ` +
          `${fmt(f.quotes / f.seconds / 1e3).padStart(4)} k records/s  CPU ${f.cpuSeconds.toFixed(1)} s  ` +
          `peak RSS ${fmt(f.peakRss / MB)} MB  parquet ${fmt(f.parquetBytes / MB)} MB (${fmt(f.spotRows)} spot rows)`,
      );
    }

    const python = pythonWithPandas();
    let pandasSeconds: number | undefined;
    if (!python) {
      console.log('\npandas.read_fwf comparison SKIPPED: python3 cannot import pandas (Debian: python3-pandas).');
    } else {
      const pandas = runPandas(python, text, quotes);
      if (pandas.rows !== quotes) throw new Error(`pandas read ${pandas.rows} rows, expected ${quotes}`);
      pandasSeconds = pandas.seconds;
      console.log(
        `${'pandas.read_fwf (layout widths)'.padEnd(30)} ${pandas.seconds.toFixed(2).padStart(6)} s  ` +
          `${fmt(textBytes / MB / pandas.seconds, 1).padStart(5)} MB/s of text  ` +
          `peak RSS ${fmt(pandas.peakRss / MB)} MB  (a DataFrame in memory, nothing written)`,
      );
    }

    const verdicts: Verdict[] = [];
    for (const [label, figures] of runs) {
      const seconds = median(figures.map((f) => f.seconds));
      const mbs = textBytes / MB / seconds;
      const info = figures[0].writer !== 'duckdb';
      const of = figures.length > 1 ? `median of ${figures.length}` : 'one run';
      const best =
        figures.length > 1 ? ` (best ${(textBytes / MB / Math.min(...figures.map((f) => f.seconds))).toFixed(1)})` : '';
      verdicts.push({
        what: `${label}: MB/s of text (${of})`,
        figure: `${mbs.toFixed(1)} MB/s${best}`,
        target: `≥ ${TARGET_MBS} MB/s`,
        ...(info ? {} : { met: mbs >= TARGET_MBS, ratio: mbs / TARGET_MBS }),
      });
      if (pandasSeconds !== undefined) {
        const times = pandasSeconds / seconds;
        const bestTimes = pandasSeconds / Math.min(...figures.map((f) => f.seconds));
        verdicts.push({
          what: `${label}: × pandas.read_fwf (${of})`,
          figure: `${times.toFixed(1)}×${figures.length > 1 ? ` (best ${bestTimes.toFixed(1)}×)` : ''}`,
          target: `≥ ${TARGET_PANDAS}×`,
          ...(info ? {} : { met: times >= TARGET_PANDAS, ratio: times / TARGET_PANDAS }),
        });
      }
      const rss = Math.max(...figures.map((f) => f.peakRss)) / MB;
      verdicts.push({
        what: `${label}: peak RSS (highest)`,
        figure: `${rss.toFixed(0)} MB`,
        target: `≤ ${TARGET_RSS_MB} MB`,
        ...(info ? {} : { met: rss <= TARGET_RSS_MB, ratio: rss / TARGET_RSS_MB }),
      });
    }
    printVerdicts(`${loadLine()} at the end (hyparquet: for information, no target)`, verdicts);
  } finally {
    if (!kept) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--load') void load(process.argv[3], resolve(process.argv[4]));
else if (process.argv[2] === '--baseline') baseline();
else if (require.main === module)
  void main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
