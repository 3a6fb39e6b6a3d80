import { formatLike, round, significant, toCp1252 } from './page-text';

describe('formatLike', () => {
  it('prints a number with the decimals, thousands dots and percent sign of the text it replaces', () => {
    expect(formatLike('31,60', 7.1)).toBe('7,10');
    expect(formatLike('0,752', 1.23456)).toBe('1,235');
    expect(formatLike('412.206.000.000', 98765432100)).toBe('98.765.432.100');
    expect(formatLike('1.553.000.000,00', 1234567.891)).toBe('1.234.567,89');
    expect(formatLike('36,4%', 0.0512)).toBe('5,1%');
    expect(formatLike('-29,57%', -0.1234)).toBe('-12,34%');
    expect(formatLike('60', 7)).toBe('7');
  });

  it('never prints a minus sign on a value that rounds to zero', () => {
    expect(formatLike('0,00', -0.001)).toBe('0,00');
  });
});

describe('significant and round', () => {
  it('round amounts to six significant digits, as the pages print them, exactly', () => {
    expect(significant(412_206_123_456)).toBe(412_206_000_000);
    expect(significant(13_044_512_345)).toBe(13_044_500_000);
    expect(significant(0.0123456789)).toBe(0.0123457);
    expect(significant(-98_765_432)).toBe(-98_765_400);
  });

  it('round prices to cents', () => {
    expect(round(31.599)).toBe(31.6);
    expect(round(0.12345, 4)).toBe(0.1235);
  });
});

describe('toCp1252', () => {
  it('writes Latin-1 as is and the en dash and quotes at their Windows-1252 codes', () => {
    expect([...toCp1252('Cotação – “x”')]).toEqual([
      ...Buffer.from('Cotação ', 'latin1'),
      0x96,
      0x20,
      0x93,
      0x78,
      0x94,
    ]);
    expect(toCp1252('→').toString('latin1')).toBe('?');
  });
});
