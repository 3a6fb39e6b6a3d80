/**
 * Synthetic COTAHIST files for the lake benchmarks (bench:cotahist-load, bench:cotahist-query),
 * made from the recorded 2021-03-26 day (../shared/fixtures/real, or B3LAKE_REAL_FIXTURES; else
 * synthetic records): its records get each trading day's date, and their prices and volume move
 * by a deterministic factor per record and day (a slow and a fast wave), so a ticker's close
 * series varies over the years and no two days are the same bytes. Options' expiries move with
 * the year. Nothing random: the same arguments give the same files.
 */
import { createWriteStream, existsSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { isTradingDay } from '@b3lake/pipeline';
import { COTAHIST_QUOTE_FIELDS } from '@b3lake/scraper';
import { cotahistQuote, zipFile } from '@b3lake/scraper/testing';

const DAY_FILE = 'cotahist/COTAHIST_D26032021_pedrosampaiomatias.TXT';
export const REAL_DAY = resolve(process.env['B3LAKE_REAL_FIXTURES'] ?? '../shared/fixtures/real', DAY_FILE);
export const RECORD = 245;

/** The day's records, split into the spot market (kept every day) and the rest (rotated). */
export interface DayTemplate {
  records: Buffer[];
  spot: Buffer[];
  others: Buffer[];
  /** Each record's place in the recorded day: its price wave's phase, the same in every file. */
  place: Map<Buffer, number>;
  source: string;
}

const span = (code: string) => {
  const field = COTAHIST_QUOTE_FIELDS.find((f) => f.code === code);
  if (!field) throw new Error(`no layout field ${code}`);
  return { start: field.start - 1, end: field.end };
};
/** PREABE…PREOFV and VOLTOT: the fields a day's factor moves. */
const MOVED = ['PREABE', 'PREMAX', 'PREMIN', 'PREMED', 'PREULT', 'PREOFC', 'PREOFV', 'VOLTOT'].map(span);
const DATPRE = span('DATPRE');
const DATVEN = span('DATVEN');
const TPMERC = span('TPMERC');

export function dayTemplate(): DayTemplate {
  let records: Buffer[];
  let source: string;
  if (existsSync(REAL_DAY)) {
    const lines = readFileSync(REAL_DAY).toString('latin1').split('\n');
    records = lines.filter((l) => l.startsWith('01')).map((l) => Buffer.from(l.replace(/\r$/, ''), 'latin1'));
    source = `the recorded 2021-03-26 day (${records.length.toLocaleString('en-US')} records)`;
  } else {
    records = Array.from({ length: 6100 }, (_, i) =>
      Buffer.from(
        cotahistQuote({
          ticker: `TCKR${i}`,
          trades: i,
          market: i % 3 ? 70 : 10,
          bdi: i % 3 ? '78' : '02',
          expiry: i % 3 ? '20210419' : '99991231',
        }),
        'latin1',
      ),
    );
    source = 'synthetic records (../shared/fixtures/real not found)';
  }
  const market = (r: Buffer) => r.toString('latin1', TPMERC.start, TPMERC.end);
  return {
    records,
    spot: records.filter((r) => market(r) === '010'),
    others: records.filter((r) => market(r) !== '010'),
    place: new Map(records.map((r, i) => [r, i])),
    source,
  };
}

/** B3's trading days of a year (the project's calendar), as yyyymmdd. */
export function tradingDays(year: number): string[] {
  const days: string[] = [];
  for (let t = Date.UTC(year, 0, 1); new Date(t).getUTCFullYear() === year; t += 86_400_000) {
    const iso = new Date(t).toISOString().slice(0, 10);
    if (isTradingDay(iso)) days.push(iso.replace(/-/g, ''));
  }
  return days;
}

const dayNumber = (date: string) =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8))) / 86_400_000;

function readDigits(record: Buffer, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + record[i] - 48;
  return value;
}

function writeDigits(record: Buffer, start: number, end: number, value: number): void {
  for (let i = end - 1; i >= start; i--) {
    record[i] = 48 + (value % 10);
    value = Math.floor(value / 10);
  }
}

/**
 * One day's records: `records` copied with the date set, prices and volume moved by the record's
 * factor for that day, and an option's expiry moved by the years between 2021 and the day's.
 */
function dayRecords(records: readonly Buffer[], date: string, place: Map<Buffer, number>): Buffer {
  const out = Buffer.alloc(records.length * (RECORD + 1));
  const t = dayNumber(date);
  const years = Number(date.slice(0, 4)) - 2021;
  for (let r = 0; r < records.length; r++) {
    const at = r * (RECORD + 1);
    records[r].copy(out, at);
    out[at + RECORD] = 0x0a;
    const record = out.subarray(at, at + RECORD);
    record.write(date, DATPRE.start, 'latin1');
    const phase = ((place.get(records[r]) ?? r) * 2.399963) % (2 * Math.PI);
    const factor = Math.exp(0.45 * Math.sin(t / 400 + phase) + 0.12 * Math.sin(t / 17 + 2 * phase));
    for (const field of MOVED) {
      const value = readDigits(record, field.start, field.end);
      const moved = Math.round(value * factor);
      if (value > 0 && moved < 10 ** (field.end - field.start) && moved < Number.MAX_SAFE_INTEGER) {
        writeDigits(record, field.start, field.end, moved);
      }
    }
    if (record.toString('latin1', DATVEN.start, DATVEN.end) !== '99991231') {
      const expiry = readDigits(record, DATVEN.start, DATVEN.start + 4) + years;
      writeDigits(record, DATVEN.start, DATVEN.start + 4, expiry);
    }
  }
  return out;
}

export interface SyntheticFile {
  /** COTAHIST_A2021.TXT, COTAHIST_D02012026.TXT… (the text's name; the zip's entry). */
  name: string;
  days: readonly string[];
  /** Records of the day at `index` (of all days given), from the template. */
  pick: (template: DayTemplate, index: number) => readonly Buffer[];
}

/** Every record of the recorded day, every day. */
export const wholeDay: SyntheticFile['pick'] = (template) => template.records;

/** The spot market every day and a window of `count` other records, shifted day by day. */
export function spotAndRotating(count: number): SyntheticFile['pick'] {
  return (template, index) => {
    const { spot, others } = template;
    const start = (index * count) % others.length;
    const window = others.slice(start, start + count);
    if (window.length < count) window.push(...others.slice(0, count - window.length));
    return [...spot, ...window];
  };
}

const pad = (text: string, width: number) => text.padEnd(width, ' ');

/** Writes the file as text (header, the days' records, trailer); returns its quote records. */
export async function writeSyntheticText(path: string, file: SyntheticFile, template: DayTemplate): Promise<number> {
  const out = createWriteStream(path);
  const year = file.days[0].slice(0, 4);
  const last = file.days[file.days.length - 1];
  const head = '00' + pad(`COTAHIST.${year}`, 13) + pad('BOVESPA', 8) + last;
  out.write(pad(head, RECORD) + '\n', 'latin1');
  let quotes = 0;
  for (const [index, date] of file.days.entries()) {
    const records = file.pick(template, index);
    quotes += records.length;
    if (!out.write(dayRecords(records, date, template.place))) await once(out, 'drain');
  }
  const total = String(quotes + 2).padStart(11, '0');
  out.end(pad(head.replace(/^00/, '99') + total, RECORD) + '\n', 'latin1');
  await once(out, 'finish');
  return quotes;
}

/** Writes the file zipped (one deflated entry named as the text, as B3 publishes them); returns its quotes. */
export async function writeSyntheticZip(
  zipPath: string,
  file: SyntheticFile,
  template: DayTemplate,
  scratchText: string,
): Promise<number> {
  try {
    const quotes = await writeSyntheticText(scratchText, file, template);
    await zipFile(scratchText, zipPath, file.name);
    return quotes;
  } finally {
    rmSync(scratchText, { force: true });
  }
}

/** `COTAHIST_D02012026` for the day 20260102. */
export const dayFileStem = (date: string) => `COTAHIST_D${date.slice(6, 8)}${date.slice(4, 6)}${date.slice(0, 4)}`;
