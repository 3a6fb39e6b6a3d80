/**
 * nx run bench:cotahist — the COTAHIST parser alone on a synthetic year: ~1,000,000 records
 * (~245 MB of text) made from the recorded 2021-03-26 day (../shared/fixtures/real, else
 * synthetic records) by giving its records 164 trading days. Measures the reader on the text and
 * on the same text zipped (streamed, with a data descriptor), each in its own process (records/s,
 * MB/s, peak RSS), and pandas.read_fwf with the layout's widths on the same file, when python3
 * has pandas. Prints the ratios of this one run; nothing is installed.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CotahistReader } from '@b3lake/scraper';
import { cotahistFile, cotahistQuote, zipFile } from '@b3lake/scraper/testing';
import { pythonWithPandas, runPandas } from './cotahist-pandas';

const DAYS = Number(process.env['BENCH_DAYS'] ?? 164);
const RECORD = 245;
const DAY_FILE = 'cotahist/COTAHIST_D26032021_pedrosampaiomatias.TXT';
const real = resolve(process.env['B3LAKE_REAL_FIXTURES'] ?? '../shared/fixtures/real', DAY_FILE);
const MB = 1e6;

/** Child mode: `--measure FILE [batches|each]` reads FILE once and prints its figures as JSON. */
async function measure(file: string, mode: string): Promise<void> {
  const start = process.hrtime.bigint();
  const reader = new CotahistReader(createReadStream(file, { highWaterMark: 1 << 20 }));
  let quotes = 0;
  let checksum = 0; // uses every quote, so no work can be skipped
  if (mode === 'each') {
    for await (const quote of reader) {
      quotes++;
      checksum += quote.close;
    }
  } else {
    for await (const batch of reader.batches()) {
      quotes += batch.length;
      for (const quote of batch) checksum += quote.close;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  console.log(
    JSON.stringify({
      seconds,
      quotes,
      checksum,
      textBytes: reader.textBytes,
      sourceBytes: reader.sourceBytes,
      peakRss,
    }),
  );
}

/** The day's records (without line breaks), from the recording or, without it, synthetic ones. */
function dayRecords(): { records: Buffer[]; source: string } {
  if (existsSync(real)) {
    const lines = readFileSync(real).toString('latin1').split('\n');
    const records = lines.filter((l) => l.startsWith('01')).map((l) => Buffer.from(l.replace(/\r$/, ''), 'latin1'));
    return { records, source: 'the recorded 2021-03-26 file (6,100 records)' };
  }
  const synthetic = Array.from({ length: 6100 }, (_, i) => cotahistQuote({ ticker: `TCKR${i}`, trades: i }));
  const records = synthetic.map((r) => Buffer.from(r, 'latin1'));
  return { records, source: 'synthetic records (../shared/fixtures/real not found)' };
}

/** Weekdays from 2021-01-04, as AAAAMMDD. */
function tradingDays(count: number): string[] {
  const days: string[] = [];
  for (let t = Date.UTC(2021, 0, 4); days.length < count; t += 86_400_000) {
    const day = new Date(t);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) days.push(day.toISOString().slice(0, 10).replace(/-/g, ''));
  }
  return days;
}

/** Writes header, the day's records once per trading day (DATPRE changed), trailer; returns the record count. */
async function writeYear(path: string, records: Buffer[]): Promise<number> {
  const out = createWriteStream(path);
  const [header, trailer] = cotahistFile([]).split('\n');
  out.write(header + '\n', 'latin1');
  const day = Buffer.concat(records.flatMap((r) => [r, Buffer.from('\n')]));
  for (const date of tradingDays(DAYS)) {
    const chunk = Buffer.from(day);
    for (let at = 0; at < chunk.length; at += RECORD + 1) chunk.write(date, at + 2, 'latin1');
    if (!out.write(chunk)) await once(out, 'drain');
  }
  const total = records.length * DAYS + 2;
  out.end(trailer.slice(0, 31) + String(total).padStart(11, '0') + trailer.slice(42) + '\n', 'latin1');
  await once(out, 'finish');
  return total - 2;
}

interface Figures {
  seconds: number;
  quotes: number;
  textBytes: number;
  sourceBytes: number;
  peakRss: number;
}

function runChild(file: string, mode: string): Figures {
  const out = execFileSync(process.execPath, ['--import', 'tsx', __filename, '--measure', file, mode], {
    encoding: 'utf8',
    env: process.env,
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Figures;
}

const row = (label: string, f: Figures, bytes: number) =>
  `${label.padEnd(34)} ${f.seconds.toFixed(2).padStart(7)} s ` +
  `${(f.quotes / f.seconds / 1e3).toFixed(0).padStart(6)} k records/s ` +
  `${(bytes / MB / f.seconds).toFixed(0).padStart(5)} MB/s  peak RSS ${(f.peakRss / MB).toFixed(0)} MB`;

/** The synthetic year as COTAHIST_A2021.TXT and .ZIP in `dir`. */
async function buildYear(dir: string) {
  const { records, source } = dayRecords();
  const text = join(dir, 'COTAHIST_A2021.TXT');
  const zip = join(dir, 'COTAHIST_A2021.ZIP');
  const quotes = await writeYear(text, records);
  await zipFile(text, zip, 'COTAHIST_A2021.TXT');
  return { text, zip, quotes, source };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'b3lake-cotahist-bench-'));
  try {
    const { text, zip, quotes, source } = await buildYear(dir);
    const textBytes = statSync(text).size;
    const zipBytes = statSync(zip).size;
    console.log(`synthetic year from ${source}: ${DAYS} trading days, ${quotes.toLocaleString('en-US')} quotes`);
    console.log(
      `text ${(textBytes / MB).toFixed(0)} MB, zip ${(zipBytes / MB).toFixed(0)} MB (deflate, data descriptor)\n`,
    );

    const textRun = runChild(text, 'batches');
    console.log(row('CotahistReader, text, batches()', textRun, textRun.textBytes));
    const zipRun = runChild(zip, 'batches');
    console.log(row('CotahistReader, zip, batches()', zipRun, zipRun.textBytes) + '  (MB/s of text)');
    const eachRun = runChild(text, 'each');
    console.log(row('CotahistReader, text, for await each', eachRun, eachRun.textBytes));
    for (const run of [textRun, zipRun, eachRun]) {
      if (run.quotes !== quotes) throw new Error(`the reader gave ${run.quotes} quotes, expected ${quotes}`);
    }

    const python = pythonWithPandas();
    if (!python) {
      console.log('\npandas.read_fwf comparison SKIPPED: python3 cannot import pandas.');
      console.log('Install it with: apt-get install python3-pandas   (Debian; then run nx run bench:cotahist again)');
    } else {
      const pandas = runPandas(python, text, quotes);
      if (pandas.rows !== quotes) throw new Error(`pandas read ${pandas.rows} rows, expected ${quotes}`);
      const pandasFigures = { ...pandas, quotes, textBytes, sourceBytes: textBytes };
      console.log(row('pandas.read_fwf (layout widths)', pandasFigures, textBytes));
      const times = (seconds: number) => `${(pandas.seconds / seconds).toFixed(1)}×`;
      console.log(`\nreader vs pandas.read_fwf on the same file, this run: ${times(textRun.seconds)} faster (text),`);
      console.log(`${times(zipRun.seconds)} faster (zip), ${times(eachRun.seconds)} faster (text, for await each)`);
    }
    console.log(`zip vs text time, this run: ${(zipRun.seconds / textRun.seconds).toFixed(2)}×`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `--build DIR` only writes the year's files (for repeated runs of `--measure FILE [batches|each]`).
if (process.argv[2] === '--measure') void measure(process.argv[3], process.argv[4] ?? 'batches');
else if (process.argv[2] === '--build')
  void buildYear(resolve(process.argv[3])).then((y) => console.log(y.text, y.zip));
else
  void main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
