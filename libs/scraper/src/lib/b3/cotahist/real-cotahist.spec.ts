/**
 * The COTAHIST reader over files recorded from B3 (shared/fixtures/real/cotahist, provenance in
 * its SOURCES.md), compared field by field with an independent reading: the widths below are
 * copied from the layout document's N(x)/X(x) column, not from layout.ts.
 */
import { listFiles, read, realFixturesDir } from '../../../test-support/real-fixtures';
import { CotahistIncompleteError, parseCotahist } from './reader';

const root = realFixturesDir();
if (!root) process.stderr.write('\n[scraper] real COTAHIST suite SKIPPED: ../shared/fixtures/real not found\n\n');
const describeReal = root ? describe : describe.skip;

// TIPREG DATPRE CODBDI CODNEG TPMERC NOMRES ESPECI PRAZOT MODREF PREABE…PREOFV(7) TOTNEG QUATOT VOLTOT PREEXE
// INDOPC DATVEN FATCOT PTOEXE CODISI DISMES
const WIDTHS = [2, 8, 2, 12, 3, 12, 10, 3, 4, 13, 13, 13, 13, 13, 13, 13, 5, 18, 18, 13, 1, 8, 7, 13, 12, 3];

/** An independent reading of one quote record: slices by width, numbers by plain arithmetic on the text. */
function independent(record: string): Record<string, string | number | null> {
  const parts: string[] = [];
  let at = 0;
  for (const width of WIDTHS) {
    parts.push(record.slice(at, at + width));
    at += width;
  }
  const iso = (t: string) => `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6)}`;
  const cents = (t: string) => parseFloat(`${t.slice(0, -2)}.${t.slice(-2)}`);
  const [, date, bdi, ticker, market, name, spec, prazo, currency, ...rest] = parts;
  const [abe, max, min, med, ult, ofc, ofv, neg, qua, vol, exe, indopc, ven, fat, pto, isin, dis] = rest;
  return {
    date: iso(date),
    bdiCode: bdi.trim(),
    ticker: ticker.trim(),
    marketType: parseInt(market, 10),
    shortName: name.trim(),
    specification: spec.trim(),
    forwardDays: prazo.trim(),
    currency: currency.trim(),
    open: cents(abe),
    high: cents(max),
    low: cents(min),
    average: cents(med),
    close: cents(ult),
    bestBid: cents(ofc),
    bestAsk: cents(ofv),
    trades: parseInt(neg, 10),
    quantity: parseInt(qua, 10),
    volume: cents(vol),
    strike: cents(exe),
    strikeCorrection: parseInt(indopc, 10),
    expiry: ven === '99991231' ? null : iso(ven),
    quoteFactor: parseInt(fat, 10),
    strikePoints: parseFloat(`${pto.slice(0, 7)}.${pto.slice(7)}`),
    isin: isin.trim(),
    distribution: parseInt(dis, 10),
  };
}

describeReal('real COTAHIST files', () => {
  const dir = `${root}/cotahist`;

  it('reads every record of the 2021-03-26 daily file, each field equal to an independent reading', async () => {
    const body = read(dir, 'COTAHIST_D26032021_pedrosampaiomatias.TXT');
    const { header, quotes, trailer } = await parseCotahist(body);
    expect(header).toEqual({ fileName: 'COTAHIST.2021', origin: 'BOVESPA', generatedOn: '2021-03-26' });
    expect(trailer.totalRecords).toBe(6102);
    const records = body
      .toString('latin1')
      .split('\n')
      .filter((l) => l.startsWith('01'));
    expect(quotes).toHaveLength(6100);
    expect(records).toHaveLength(6100);
    quotes.forEach((q, i) => expect(q).toEqual(independent(records[i])));
  });

  it("gives PETR4's day as B3 published it", async () => {
    const { quotes } = await parseCotahist(read(dir, 'COTAHIST_D26032021_pedrosampaiomatias.TXT'));
    const petr4 = quotes.filter((q) => q.ticker === 'PETR4' && q.marketType === 10);
    expect(petr4).toHaveLength(1);
    expect(petr4[0]).toMatchObject({
      open: 23.48,
      high: 23.88,
      low: 23.11,
      close: 23.46,
      trades: 64400,
      volume: 1433177694,
    });
    expect(quotes.find((q) => q.ticker === 'FNAM11')).toMatchObject({ quoteFactor: 1000 });
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
    expect(listFiles(dir, /\.TXT$/)).toEqual([
      'COTAHIST_D04012016_rb3.TXT',
      'COTAHIST_D26032021_pedrosampaiomatias.TXT',
    ]);
  });
});
