import { NotAPortfolioError, UnknownFormatError, ValueFormatError } from '../errors';
import { parsePortfolioJson } from './portfolio-json';

const PT_DAY = JSON.stringify({
  page: { pageNumber: 1, pageSize: 9999, totalRecords: 2, totalPages: 1 },
  header: {
    date: '08/12/22',
    text: 'Quantidade Teórica Total',
    part: '100,000',
    partAcum: '100,000',
    textReductor: 'Redutor',
    reductor: '18.553.794,87445950',
    theoricalQty: '101.053.551.382',
  },
  results: [
    {
      segment: 'Bens Indls / Máqs e Equips',
      cod: 'WEGE3',
      asset: 'WEG',
      type: 'ON      NM',
      part: '2,728',
      partAcum: '2,728',
      theoricalQty: '1.481.593.024',
    },
    {
      segment: 'Petróleo',
      cod: 'PETR4',
      asset: 'PETROBRAS',
      type: 'PN  EJ  N2',
      part: '97,272',
      partAcum: '97,272',
      theoricalQty: '4.520.000.000',
    },
  ],
});

const EN_DAY = JSON.stringify({
  page: { pageNumber: 1, pageSize: 9999, totalRecords: 1, totalPages: 1 },
  header: { date: '04/07/25', part: '100.000', reductor: '16,036,751.16744128', theoricalQty: '99,015,750,716' },
  results: [
    { segment: null, cod: 'WEGE3', asset: 'WEG', type: 'ON      NM', part: '100.000', theoricalQty: '1,243,177,587' },
  ],
});

const THEORETICAL = JSON.stringify({
  page: { pageNumber: 1, pageSize: 9999, totalRecords: 1, totalPages: 1 },
  header: { part: '100,000', theoricalQty: '99.273.271.525', reductor: '18.842.281,23696071' },
  results: [{ cod: 'ABEV3', asset: 'AMBEV S/A', type: 'ON', theoricalQty: '4.386.652.506', part: '100,000', cont: 3 }],
});

describe('parsePortfolioJson', () => {
  it('reads a pt-br day portfolio: DD/MM/YY date, fractions, exact quantities, reductor', () => {
    const p = parsePortfolioJson(PT_DAY, { index: 'IBOV' });
    expect(p).toMatchObject({
      source: 'GetPortfolioDay',
      index: 'IBOV',
      date: '2022-12-08',
      locale: 'pt-br',
      totalTheoreticalQuantity: 101053551382,
      reductor: 18553794.8744595,
      page: { totalPages: 1, totalRecords: 2 },
    });
    expect(p.rows[0]).toEqual({
      ticker: 'WEGE3',
      name: 'WEG',
      type: 'ON NM',
      participation: 0.02728,
      theoreticalQuantity: 1481593024,
      sector: 'Bens Indls / Máqs e Equips',
    });
    expect(p.rows[1].type).toBe('PN EJ N2');
  });

  it('reads an en-us day portfolio: MM/DD/YY date and US number format, detected from header.part', () => {
    const p = parsePortfolioJson(EN_DAY);
    expect(p).toMatchObject({
      date: '2025-04-07',
      locale: 'en-us',
      totalTheoreticalQuantity: 99015750716,
      reductor: 16036751.16744128,
    });
    expect(p.rows[0]).toMatchObject({ participation: 1, theoreticalQuantity: 1243177587, sector: null });
  });

  it('reads the theoretical portfolio (no date) with its rank', () => {
    const p = parsePortfolioJson(THEORETICAL);
    expect(p).toMatchObject({ source: 'GetTheoricalPortfolio', date: null });
    expect(p.rows[0]).toMatchObject({ ticker: 'ABEV3', rank: 3, participation: 1 });
  });

  it('honours an explicit language over detection', () => {
    const ambiguous = JSON.stringify({ header: { date: '04/07/25', reductor: '1', theoricalQty: '1' }, results: [] });
    expect(parsePortfolioJson(ambiguous, { language: 'en-us' }).date).toBe('2025-04-07');
    expect(parsePortfolioJson(ambiguous, { language: 'pt-br' }).date).toBe('2025-07-04');
  });

  it('asks for the language when it cannot be detected', () => {
    const ambiguous = JSON.stringify({ header: { date: '04/07/25' }, results: [] });
    expect(() => parsePortfolioJson(ambiguous)).toThrow(/pass the request language/);
  });

  it('rejects JSON that is not a portfolio, and text that is not JSON', () => {
    expect(() => parsePortfolioJson('{"a":1}')).toThrow(UnknownFormatError);
    expect(() => parsePortfolioJson('<html>')).toThrow(/Not JSON/);
  });

  it('rejects a JSON value that is not an object', () => {
    expect(() => parsePortfolioJson('null')).toThrow(UnknownFormatError);
    expect(() => parsePortfolioJson('[1]')).toThrow(/expected a JSON object/);
  });

  it('says a GetStockIndex response is not a portfolio instead of asking for a language', () => {
    const stockIndex = JSON.stringify({
      page: { pageNumber: 1, pageSize: 9999, totalRecords: 1, totalPages: 1 },
      header: { update: '2025-04-07', startMonth: 1, endMonth: 4, year: 2025 },
      results: [{ company: '3TENTOS', spotlight: 'ON   NM', code: 'TTEN3', indexes: 'AGFS,IBRA,SMLL' }],
    });
    expect(() => parsePortfolioJson(stockIndex)).toThrow(NotAPortfolioError);
    expect(() => parsePortfolioJson(stockIndex)).toThrow(
      /^This is B3's GetStockIndex response \(which indexes each ticker belongs to\), not an index portfolio\./,
    );
    expect(() => parsePortfolioJson(stockIndex)).not.toThrow(/language/);
  });

  it('says an indexStatistics response (daily closing points) is not a portfolio', () => {
    const rates = { day: 0, rateValue1: '101.005,64', rateValue2: null };
    const statistics = JSON.stringify({ min: rates, max: rates, results: [{ ...rates, day: 1 }] });
    expect(() => parsePortfolioJson(statistics)).toThrow(expect.objectContaining({ code: 'NOT_A_PORTFOLIO' }));
    expect(() => parsePortfolioJson(statistics)).toThrow(/indexStatistics GetPortfolioDay response/);
  });

  it('says rows without cod or part are not portfolio rows', () => {
    const other = JSON.stringify({ header: { part: '100,000' }, results: [{ name: 'x', value: '1' }] });
    expect(() => parsePortfolioJson(other)).toThrow(
      /This JSON is not a B3 index portfolio: its rows have no cod\/part/,
    );
  });

  it('warns once per field when names or sectors hold U+FFFD, counting the rows', () => {
    const damaged = PT_DAY.replace('Máqs', 'M\ufffdqs').replace('Petróleo', 'Petr\ufffdleo');
    expect(parsePortfolioJson(damaged).warnings).toEqual([
      'sector: 2 rows contain U+FFFD replacement characters (first: WEGE3 "Bens Indls / M\ufffdqs e Equips"; ' +
        'letters lost to a wrong text decoding before b3lake read it; kept as is)',
    ]);
    expect(parsePortfolioJson(PT_DAY).warnings).toEqual([]);
  });

  it('rejects a row with a malformed participation instead of guessing', () => {
    const bad = PT_DAY.replace('"2,728"', '"2,7,28"');
    expect(() => parsePortfolioJson(bad)).toThrow(ValueFormatError);
  });

  it('rejects a row without a ticker', () => {
    const bad = PT_DAY.replace('"WEGE3"', '"??"');
    expect(() => parsePortfolioJson(bad)).toThrow(/results\[0\]\.cod/);
  });
});
