/**
 * The COTAHIST reader over files recorded from B3 (shared/fixtures/real/cotahist, provenance in
 * its SOURCES.md), compared field by field with an independent reading: plain substrings at
 * layout.ts's positions and plain number parsing, where the reader reads bytes four digits at a
 * time. layout.ts itself is checked against the widths printed in the layout document.
 */
import { listFiles, read, realFixturesDir } from '../../../test-support/real-fixtures';
import { zipOf } from '../../../test-support/cotahist';
import { HEADER_FIELDS, QUOTE_FIELDS, TRAILER_FIELDS, type FieldSpec } from './layout';
import { CotahistIncompleteError, parseCotahist } from './reader';
import type { CotahistQuote } from './record';

const root = realFixturesDir();
if (!root) process.stderr.write('\n[scraper] real COTAHIST suite SKIPPED: ../shared/fixtures/real not found\n\n');
const describeReal = root ? describe : describe.skip;

/** The N(x)/X(x) column of the layout document, record 01 (TIPREG … DISMES). */
const DOCUMENT_WIDTHS = [2, 8, 2, 12, 3, 12, 10, 3, 4, 13, 13, 13, 13, 13, 13, 13, 5, 18, 18, 13, 1, 8, 7, 13, 12, 3];

/** CotahistQuote's name for each layout field. */
const PROPERTY: Record<string, keyof CotahistQuote | undefined> = {
  TIPREG: undefined,
  DATPRE: 'date',
  CODBDI: 'bdiCode',
  CODNEG: 'ticker',
  TPMERC: 'marketType',
  NOMRES: 'shortName',
  ESPECI: 'specification',
  PRAZOT: 'forwardDays',
  MODREF: 'currency',
  PREABE: 'open',
  PREMAX: 'high',
  PREMIN: 'low',
  PREMED: 'average',
  PREULT: 'close',
  PREOFC: 'bestBid',
  PREOFV: 'bestAsk',
  TOTNEG: 'trades',
  QUATOT: 'quantity',
  VOLTOT: 'volume',
  PREEXE: 'strike',
  INDOPC: 'strikeCorrection',
  DATVEN: 'expiry',
  FATCOT: 'quoteFactor',
  PTOEXE: 'strikePoints',
  CODISI: 'isin',
  DISMES: 'distribution',
};

/** One field by substring: text trimmed, numbers through Number() of "units.decimals", dates ISO. */
function independentField(record: string, spec: FieldSpec): string | number {
  const text = record.substring(spec.start - 1, spec.end);
  if (spec.format === 'text') return text.trimEnd();
  if (spec.format === 'date') return `${text.substring(0, 4)}-${text.substring(4, 6)}-${text.substring(6)}`;
  if (!/^\d+$/.test(text)) throw new Error(`not digits: ${text}`);
  if (spec.format === 'int') return Number(text);
  const decimals = spec.format.decimals;
  return Number(`${text.substring(0, text.length - decimals)}.${text.substring(text.length - decimals)}`);
}

function independentQuote(record: string): Record<string, unknown> {
  const quote: Record<string, unknown> = {};
  for (const spec of QUOTE_FIELDS) {
    const property = PROPERTY[spec.code];
    if (property) quote[property] = independentField(record, spec);
  }
  if (quote['expiry'] === '9999-12-31') quote['expiry'] = null;
  return quote;
}

/** "line N field: reader X, independent Y" for every difference. */
function differences(quotes: CotahistQuote[], records: string[]): string[] {
  const found: string[] = [];
  quotes.forEach((quote, i) => {
    const expected = independentQuote(records[i]);
    const keys = new Set([...Object.keys(expected), ...Object.keys(quote)]);
    for (const key of keys) {
      const actual = (quote as unknown as Record<string, unknown>)[key];
      if (!Object.is(actual, expected[key])) found.push(`record ${i + 2} ${key}: ${actual} vs ${expected[key]}`);
    }
  });
  return found;
}

describe('COTAHIST layout.ts', () => {
  it('has the widths of the layout document, contiguous from 1 to 245, for every record type', () => {
    expect(QUOTE_FIELDS.map((f) => f.end - f.start + 1)).toEqual(DOCUMENT_WIDTHS);
    for (const fields of [HEADER_FIELDS, QUOTE_FIELDS, TRAILER_FIELDS]) {
      expect(fields[0].start).toBe(1);
      fields.slice(1).forEach((f, i) => expect(f.start).toBe(fields[i].end + 1));
    }
    expect(QUOTE_FIELDS[QUOTE_FIELDS.length - 1].end).toBe(245);
  });
});

describeReal('real COTAHIST files', () => {
  const dir = `${root}/cotahist`;
  const DAY = 'COTAHIST_D26032021_pedrosampaiomatias.TXT';

  it('round-trips every record of the 2021-03-26 daily file: each field equals a substring reading', async () => {
    const body = read(dir, DAY);
    const { header, quotes, trailer } = await parseCotahist(body);
    const lines = body.toString('latin1').split('\n').filter(Boolean);
    const [first, last] = [lines[0], lines[lines.length - 1]];
    expect(header).toEqual({
      fileName: independentField(first, HEADER_FIELDS[1]),
      origin: independentField(first, HEADER_FIELDS[2]),
      generatedOn: independentField(first, HEADER_FIELDS[3]),
    });
    expect(header).toEqual({ fileName: 'COTAHIST.2021', origin: 'BOVESPA', generatedOn: '2021-03-26' });
    expect(trailer.totalRecords).toBe(independentField(last, TRAILER_FIELDS[4]));
    expect(trailer.totalRecords).toBe(6102);
    const records = lines.filter((l) => l.startsWith('01'));
    expect(quotes).toHaveLength(6100);
    expect(records).toHaveLength(6100);
    expect(differences(quotes, records)).toEqual([]);
  });

  it('reads the same quotes from the file zipped (deflate, data descriptor) as from its text', async () => {
    const body = read(dir, DAY);
    const text = await parseCotahist(body);
    const zipped = await parseCotahist(zipOf([{ name: 'COTAHIST_D26032021.TXT', data: body, descriptor: true }]));
    expect(zipped).toEqual(text);
  });

  it("gives PETR4's day as B3 published it", async () => {
    const { quotes } = await parseCotahist(read(dir, DAY));
    const petr4 = quotes.filter((q) => q.ticker === 'PETR4' && q.marketType === 10);
    expect(petr4).toHaveLength(1);
    expect(petr4[0]).toMatchObject({
      date: '2021-03-26',
      open: 23.48,
      high: 23.88,
      low: 23.11,
      close: 23.46,
      trades: 64400,
      volume: 1433177694,
      quoteFactor: 1,
    });
  });

  it('keeps FNAM11 per lot of 1,000 shares (FATCOT 1000), prices as published', async () => {
    const { quotes } = await parseCotahist(read(dir, DAY));
    expect(quotes.find((q) => q.ticker === 'FNAM11' && q.marketType === 10)).toMatchObject({
      quoteFactor: 1000,
      open: 0.17,
      low: 0.16,
      close: 0.17,
      trades: 47,
      quantity: 162450000,
      volume: 26160.54,
    });
  });

  it('refuses the truncated 2016 sample (its trailer still declares 1,745 records)', async () => {
    const error = await parseCotahist(read(dir, 'COTAHIST_D04012016_rb3.TXT')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CotahistIncompleteError);
    expect(error).toMatchObject({ recordsRead: 506, recordsDeclared: 1745 });
  });

  it('finds only the files it expects', () => {
    expect(listFiles(dir, /\.TXT$/)).toEqual(['COTAHIST_D04012016_rb3.TXT', DAY]);
  });
});
