import { cp1252 } from '../../test-support/pages';
import { UnknownFormatError, ValueFormatError } from '../errors';
import { parsePortfolioCsv } from './portfolio-csv';

const CSV = [
  'IBOV - Carteira do Dia 16/03/26',
  'Código;Ação;Tipo;Qtde. Teórica;Part. (%)',
  'ALOS3;ALLOS;ON      NM;466.135.796;0,522;',
  'PETR4;PETROBRAS;PN  EJ  N2;4.520.000.000;99,478;',
  'Quantidade Teórica Total;;;4.986.135.796;100,000',
  'Redutor;;;14.532.958,45918233',
  '',
].join('\r\n');

describe('parsePortfolioCsv', () => {
  it('reads a Windows-1252 CSV download with CRLF endings: date, rows, footers', () => {
    const p = parsePortfolioCsv(cp1252(CSV));
    expect(p).toMatchObject({
      source: 'csv',
      index: 'IBOV',
      date: '2026-03-16',
      totalTheoreticalQuantity: 4986135796,
      reductor: 14532958.45918233,
      warnings: [],
    });
    expect(p.rows).toEqual([
      {
        ticker: 'ALOS3',
        name: 'ALLOS',
        type: 'ON NM',
        participation: 0.00522,
        theoreticalQuantity: 466135796,
        sector: null,
      },
      {
        ticker: 'PETR4',
        name: 'PETROBRAS',
        type: 'PN EJ N2',
        participation: 0.99478,
        theoreticalQuantity: 4520000000,
        sector: null,
      },
    ]);
  });

  it('reads the by-sector variant by header text', () => {
    const csv = [
      'IBOV - Carteira do Dia 22/06/22',
      'Setor;Código;Ação;Tipo;Qtde. Teórica;Part. (%);Part. (%)Acum.',
      'Bens Indls / Máqs e Equips;WEGE3;WEG;ON      NM;1.484.859.030;2,059;2,059;',
      'Quantidade Teórica Total;;;;1.484.859.030;100,000;100,000',
      'Redutor;;;;18.306.448,98312369',
    ].join('\n');
    const p = parsePortfolioCsv(csv);
    expect(p.rows[0]).toMatchObject({ ticker: 'WEGE3', sector: 'Bens Indls / Máqs e Equips', participation: 0.02059 });
    expect(p.totalTheoreticalQuantity).toBe(1484859030);
    expect(p.reductor).toBe(18306448.98312369);
  });

  it('reports the malformed 2021 reductor as a warning instead of a wrong number', () => {
    const p = parsePortfolioCsv(CSV.replace('14.532.958,45918233', '18.296.80337677573'));
    expect(p.reductor).toBeNull();
    expect(p.warnings).toEqual([expect.stringMatching(/malformed reductor "18.296.80337677573"/)]);
  });

  it('rejects a file without the title line', () => {
    expect(() => parsePortfolioCsv('Código;Ação\nA;B')).toThrow(UnknownFormatError);
  });

  it('rejects a header without the required columns', () => {
    expect(() => parsePortfolioCsv('IBOV - Carteira do Dia 16/03/26\nCódigo;Ação\n')).toThrow(
      /lacks: quantity, participation/,
    );
  });

  it('rejects a data row that does not start with a ticker', () => {
    const bad = CSV.replace('ALOS3;ALLOS', 'Total parcial;ALLOS');
    expect(() => parsePortfolioCsv(bad)).toThrow(ValueFormatError);
  });

  it('warns when a name arrived with U+FFFD, naming the field and the first row', () => {
    const damaged = new TextEncoder().encode(CSV.replace('ALLOS', 'ALL\ufffdS'));
    expect(parsePortfolioCsv(damaged).warnings).toEqual([
      expect.stringMatching(/^name: 1 row contains U\+FFFD .*ALOS3/),
    ]);
  });
});
