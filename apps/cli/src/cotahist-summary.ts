import {
  COTAHIST_MARKET_TYPES,
  type CotahistContainer,
  type CotahistHeader,
  type CotahistReader,
} from '@b3lake/scraper';

/** What `b3lake parse` says about a COTAHIST file, read to its end (and so checked against its trailer). */
export interface CotahistSummary {
  format: 'b3-cotahist';
  container: CotahistContainer;
  /** The zip's .TXT file, when zipped. */
  entryName?: string;
  header: CotahistHeader;
  tradingDays: { count: number; first: string | null; last: string | null };
  /** Quote records (01). */
  quotes: number;
  /** Quote records per TPMERC (10 spot, 20 odd lot, 70 calls, 80 puts…), by code. */
  recordsByMarketType: Record<string, number>;
  distinctTickers: number;
  /** The trailer's count equals the records read, header and trailer included (the reader fails otherwise). */
  trailer: { totalRecords: number; recordsRead: number; complete: true };
}

/** Reads every quote once, keeping counts only: a year's file summarises in flat memory. */
export async function summarizeCotahist(reader: CotahistReader): Promise<CotahistSummary> {
  const days = new Set<string>();
  const tickers = new Set<string>();
  const byMarket = new Map<number, number>();
  let quotes = 0;
  for await (const batch of reader.batches()) {
    quotes += batch.length;
    for (const quote of batch) {
      days.add(quote.date);
      tickers.add(quote.ticker);
      byMarket.set(quote.marketType, (byMarket.get(quote.marketType) ?? 0) + 1);
    }
  }
  const { header, trailer, container } = reader;
  if (!header || !trailer || !container) throw new Error('COTAHIST reader ended without its header or trailer');
  const sortedDays = [...days].sort();
  return {
    format: 'b3-cotahist',
    container,
    ...(reader.entryName ? { entryName: reader.entryName } : {}),
    header,
    tradingDays: { count: days.size, first: sortedDays[0] ?? null, last: sortedDays[sortedDays.length - 1] ?? null },
    quotes,
    recordsByMarketType: Object.fromEntries([...byMarket].sort(([a], [b]) => a - b).map(([k, n]) => [String(k), n])),
    distinctTickers: tickers.size,
    trailer: { totalRecords: trailer.totalRecords, recordsRead: reader.records, complete: true },
  };
}

const count = (n: number) => n.toLocaleString('en-US');

/** The summary for people: a few lines, counts with thousands separators. */
export function formatCotahistSummary(s: CotahistSummary): string {
  const { header, tradingDays } = s;
  const days =
    tradingDays.count === 0 ? 'none' : `${count(tradingDays.count)}, ${tradingDays.first} to ${tradingDays.last}`;
  const markets = Object.entries(s.recordsByMarketType).map(([code, n]) => {
    const name = COTAHIST_MARKET_TYPES[Number(code)] ?? 'not in the layout table';
    return `  ${code.padStart(3, '0')} ${name.padEnd(34)} ${count(n).padStart(11)}`;
  });
  return [
    `COTAHIST ${header.fileName} from ${header.origin}, generated ${header.generatedOn}` +
      (s.entryName ? ` (zip: ${s.entryName})` : ''),
    `trading days: ${days}`,
    `quotes: ${count(s.quotes)}; distinct tickers: ${count(s.distinctTickers)}`,
    'quotes by market type (TPMERC):',
    ...markets,
    `trailer: ${count(s.trailer.totalRecords)} records declared = ${count(s.trailer.recordsRead)} read ` +
      '(header and trailer included): complete',
  ].join('\n');
}
