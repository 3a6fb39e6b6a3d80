/**
 * nx run cloud-box:cotahist-sizing — sizes the cotahist Lambda on a synthetic year: ~1,000,000
 * records (the recorded 2021-03-26 day, ../shared/fixtures/real or B3LAKE_REAL_FIXTURES, given
 * 164 trading days of 2021; synthetic records without it), zipped as B3 publishes it. The
 * function's own bundle, as CDK synthesized it, runs in the cloud-in-a-box exactly as the backfill
 * state machine invokes it (`{ "year": 2021 }`): the zip streamed from a local stand-in for B3 into
 * S3 (s3rver), then read back from S3 and written to parquet by the hyparquet writer. Prints the
 * download and load times, the environment's peak memory (Lambda's "Max Memory Used") and what
 * /tmp held, beside the function's configured memory, timeout and ephemeral storage.
 * Closes and volumes move day by day, so the zip and the parquet compress as real years do.
 * BOX_SIZING_DAYS and BOX_SIZING_COPIES change the size; the synthesized assembly of the specs is
 * reused when present (BOX_SIZING_SYNTH=1 synthesizes it again).
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cotahistFile, cotahistQuote, zipFile } from '@b3lake/scraper/testing';
import { table } from '@b3lake/lake';
import { BOX_CDK_OUT, Cloud, WORKSPACE } from './cloud';
import { s3Stores } from './lake-reader';

const DAYS = Number(process.env['BOX_SIZING_DAYS'] ?? 164);
/** Each recorded record this many times a day (2 with 250 days ≈ 3 million records, a large recent year). */
const COPIES = Number(process.env['BOX_SIZING_COPIES'] ?? 1);
const REAL_DAY = resolve(
  process.env['B3LAKE_REAL_FIXTURES'] ?? join(WORKSPACE, '..', 'shared', 'fixtures', 'real'),
  'cotahist',
  'COTAHIST_D26032021_pedrosampaiomatias.TXT',
);
const MB = 1e6;

/** One day's quote records (no line breaks), recorded or synthetic. */
function dayRecords(): { records: Buffer[]; source: string } {
  if (existsSync(REAL_DAY)) {
    const lines = readFileSync(REAL_DAY).toString('latin1').split('\n');
    const records = lines.filter((l) => l.startsWith('01')).map((l) => Buffer.from(l.replace(/\r$/, ''), 'latin1'));
    return { records, source: `the recorded 2021-03-26 day (${records.length} records)` };
  }
  const records = Array.from({ length: 6100 }, (_, i) =>
    Buffer.from(cotahistQuote({ ticker: `TCKR${i}`, trades: i + 1 }), 'latin1'),
  );
  return { records, source: 'synthetic records (../shared/fixtures/real not found)' };
}

/** Weekdays of 2021 from 2021-01-04, as yyyymmdd. */
function days(count: number): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(2021, 0, 4); out.length < count; t += 86_400_000) {
    const day = new Date(t);
    if (day.getUTCDay() % 6 !== 0) out.push(day.toISOString().slice(0, 10).replace(/-/g, ''));
  }
  return out;
}

/** COTAHIST_A2021.ZIP in `dir`: header, the day's records once per day (DATPRE set), trailer. */
async function writeYear(dir: string): Promise<{ zip: string; text: number; quotes: number; source: string }> {
  const { records, source } = dayRecords();
  const textPath = join(dir, 'COTAHIST_A2021.TXT');
  const out = createWriteStream(textPath);
  const [header, trailer] = cotahistFile([]).split('\n');
  out.write(header + '\r\n', 'latin1');
  const day = Buffer.concat(
    Array.from({ length: COPIES }, () => records.flatMap((r) => [r, Buffer.from('\r\n')])).flat(),
  );
  for (const [index, date] of days(DAYS).entries()) {
    const chunk = Buffer.from(day);
    for (let at = 0, n = 0; at < chunk.length; at += 247, n++) {
      chunk.write(date, at + 2, 'latin1');
      // PREULT (109-121) and VOLTOT (171-188) move with the day and the record.
      const move = 1 + 0.2 * Math.sin(index / 9 + n);
      for (const [start, width] of [
        [108, 13],
        [170, 18],
      ]) {
        const value = Math.round(Number(chunk.toString('latin1', at + start, at + start + width)) * move);
        chunk.write(String(value).padStart(width, '0').slice(-width), at + start, 'latin1');
      }
    }
    if (!out.write(chunk)) await once(out, 'drain');
  }
  const quotes = records.length * COPIES * DAYS;
  out.end(trailer.slice(0, 31) + String(quotes + 2).padStart(11, '0') + trailer.slice(42) + '\r\n', 'latin1');
  await once(out, 'finish');
  const zip = join(dir, 'COTAHIST_A2021.ZIP');
  await zipFile(textPath, zip, 'COTAHIST_A2021.TXT');
  const text = statSync(textPath).size;
  rmSync(textPath);
  return { zip, text, quotes, source };
}

async function main(): Promise<void> {
  if (process.env['BOX_SIZING_SYNTH'] === '1' || !existsSync(BOX_CDK_OUT)) {
    const synth = (await import(join(WORKSPACE, 'tools', 'cloud-box', 'synth.global-setup.cjs'))) as {
      default: () => Promise<void>;
    };
    await synth.default();
  }
  const dir = mkdtempSync(join(tmpdir(), 'b3lake-cotahist-sizing-'));
  const year = await writeYear(dir);
  const zipBytes = statSync(year.zip).size;
  const copies = COPIES > 1 ? ` × ${COPIES}` : '';
  console.log(
    `synthetic year from ${year.source}${copies}: ${DAYS} days, ${year.quotes.toLocaleString('en-US')} quotes`,
  );
  console.log(`text ${(year.text / MB).toFixed(0)} MB, zip ${(zipBytes / MB).toFixed(0)} MB\n`);

  const b3 = createServer((req, res) => {
    if (!req.url?.endsWith('/COTAHIST_A2021.ZIP')) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': String(zipBytes) });
    createReadStream(year.zip).pipe(res);
  });
  await new Promise<void>((r) => b3.listen(0, '127.0.0.1', r));
  const box = await Cloud.start({ sitesUrl: `http://127.0.0.1:${(b3.address() as AddressInfo).port}` });
  try {
    const fn = box.fn('FunctionsCotahist');
    const props = box.resources[fn.name].Properties;
    const outcome = await fn.invoke({ year: 2021 });
    const run = fn.invocations[fn.invocations.length - 1];
    if (!outcome.ok) throw new Error(`the function failed: ${outcome.errorType}: ${outcome.errorMessage}`);
    const result = outcome.result as { quotes: number; spotRows: number; downloadSeconds: number; loadSeconds: number };
    const buckets: Record<string, string> = { sot: box.bucket('StorageSot'), spec: box.bucket('StorageSpec') };
    const stores = s3Stores(box.endpoint.url, (layer) => buckets[layer]);
    let parquet = 0;
    for (const key of ['cotahist', 'cotahist_spot'] as const)
      for (const o of await stores(key).list(`${table(key).name}/ano=2021/`)) parquet += o.size;
    const denied = await box.iam.denied(box.requests);
    const seconds = run.ms / 1000;
    console.log(
      [
        `function: MemorySize ${props['MemorySize']} MB, Timeout ${props['Timeout']} s, ` +
          `/tmp ${props['EphemeralStorage']?.Size ?? 512} MB`,
        `download B3 → S3 (zip spooled to /tmp)  ${result.downloadSeconds.toFixed(1)} s`,
        `load S3 → parquet (hyparquet writer)    ${result.loadSeconds.toFixed(1)} s  ` +
          `(${((result.quotes / result.loadSeconds) * 1e-3).toFixed(0)} k records/s, ` +
          `${(year.text / MB / result.loadSeconds).toFixed(0)} MB/s of text)`,
        `invocation                              ${seconds.toFixed(1)} s ` +
          `(${((100 * run.ms) / (Number(props['Timeout']) * 1000)).toFixed(0)}% of the timeout)`,
        `peak memory (Max Memory Used)           ${run.maxMemoryUsedMb} MB ` +
          `(${((100 * run.maxMemoryUsedMb) / Number(props['MemorySize'])).toFixed(0)}% of MemorySize)`,
        `/tmp at most                            ${(Math.max(zipBytes, parquet) / MB).toFixed(0)} MB ` +
          `(the spooled zip ${(zipBytes / MB).toFixed(0)} MB, then the parquet ${(parquet / MB).toFixed(0)} MB)`,
        `rows: ${result.quotes.toLocaleString('en-US')} SoT, ${result.spotRows.toLocaleString('en-US')} Spec; ` +
          `${box.requests.length} AWS calls, ${denied.length} denied by the role's IAM`,
      ].join('\n'),
    );
    if (denied.length) process.exitCode = 1;
  } finally {
    await box.stop();
    b3.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
