import { ValueFormatError } from '../errors';
import {
  isNullText,
  parseDate,
  parseDecimal,
  parseInteger,
  parsePercent,
  parsePercentPoints,
  parseShortDate,
} from './numbers';

describe('parseDecimal (pt-BR)', () => {
  it.each([
    ['31,60', 31.6],
    ['1.234,56', 1234.56],
    ['22.399.000,00', 22399000],
    ['412.206.000.000', 412206000000],
    ['0,752', 0.752],
    ['-29,57', -29.57],
    ['-1,14', -1.14],
    ['\n 1,87 ', 1.87],
    ['0', 0],
    ['+5,5', 5.5],
    ['1000,5', 1000.5],
  ])('reads %j as %p', (text, expected) => {
    expect(parseDecimal(text)).toBe(expected);
  });

  it.each(['-', '', '--', '  -  '])('reads the no-value text %j as null', (text) => {
    expect(parseDecimal(text)).toBeNull();
  });

  it.each(['12,3%', 'abc', '1.23', '1,2,3', '1.2345,6', '12 34', '--5'])(
    'rejects %j with a typed error naming the field',
    (text) => {
      expect(() => parseDecimal(text, 'vlr_cot')).toThrow(ValueFormatError);
      expect(() => parseDecimal(text, 'vlr_cot')).toThrow(/vlr_cot/);
    },
  );

  it('does not turn -0 into a negative zero', () => {
    expect(Object.is(parseDecimal('-0,00'), 0)).toBe(true);
  });
});

describe('parseDecimal (en-US)', () => {
  it.each([
    ['1,243,177,587', 1243177587],
    ['2.663', 2.663],
    ['16,036,751.16744128', 16036751.16744128],
  ])('reads %j as %p', (text, expected) => {
    expect(parseDecimal(text, 'x', 'en-us')).toBe(expected);
  });
});

describe('parsePercent', () => {
  it('keeps the minus sign of -2,91% as a fraction', () => {
    expect(parsePercent('-2,91%')).toBe(-0.0291);
  });
  it.each([
    ['36,4%', 0.364],
    ['-2,08%', -0.0208],
    ['27,61%', 0.2761],
    ['0,0%', 0],
    ['100,00%', 1],
    ['1.234,5%', 12.345],
    [' 0,8% ', 0.008],
    ['-13,6 %', -0.136],
  ])('reads %j as the fraction %p (exactly, without float drift)', (text, expected) => {
    expect(parsePercent(text)).toBe(expected);
  });
  it('reads - as null', () => {
    expect(parsePercent('-')).toBeNull();
  });
  it.each(['12,3', '%', '12,3%%', 'x%'])('rejects %j: a percentage column needs a %% sign', (text) => {
    expect(() => parsePercent(text, 'pct_var_dia')).toThrow(ValueFormatError);
  });
});

describe('parsePercentPoints (B3 participations)', () => {
  it('reads 2,728 as 0.02728 and 2.663 (en-us) as 0.02663', () => {
    expect(parsePercentPoints('2,728')).toBe(0.02728);
    expect(parsePercentPoints('2.663', 'part', 'en-us')).toBe(0.02663);
  });
  it('rejects text that is not a number', () => {
    expect(() => parsePercentPoints('2,7%')).toThrow(ValueFormatError);
  });
  it('reads - as null', () => {
    expect(parsePercentPoints('-')).toBeNull();
  });
});

describe('parseInteger', () => {
  it('reads big integers exactly', () => {
    expect(parseInteger('13.044.500.000')).toBe(13044500000);
    expect(parseInteger('9.007.199.254.740.991')).toBe(Number.MAX_SAFE_INTEGER);
  });
  it('accepts a zero fraction and negative numbers', () => {
    expect(parseInteger('1.000,00')).toBe(1000);
    expect(parseInteger('-5')).toBe(-5);
  });
  it('rejects a fraction instead of rounding it', () => {
    expect(() => parseInteger('1,5', 'num_acoes')).toThrow(/num_acoes.*whole number/);
  });
  it('rejects integers beyond 2^53 instead of storing a rounded value', () => {
    expect(() => parseInteger('9.007.199.254.740.993')).toThrow(/exact/);
  });
  it('reads en-us groups', () => {
    expect(parseInteger('99,015,750,716', 'q', 'en-us')).toBe(99015750716);
  });
  it('reads - as null', () => {
    expect(parseInteger('-')).toBeNull();
  });
});

describe('parseDate', () => {
  it('turns 24/05/2022 into the ISO date 2022-05-24', () => {
    expect(parseDate('24/05/2022')).toBe('2022-05-24');
  });
  it('reads - as null', () => {
    expect(parseDate('-')).toBeNull();
  });
  it.each(['31/02/2022', '2022-05-24', '24/5/2022', '00/01/2020'])('rejects %j', (text) => {
    expect(() => parseDate(text, 'dt_ult_cot')).toThrow(ValueFormatError);
  });
});

describe('parseShortDate', () => {
  it('reads pt-br dates as DD/MM/YY', () => {
    expect(parseShortDate('08/12/22', 'pt-br')).toBe('2022-12-08');
  });
  it('reads en-us dates as MM/DD/YY', () => {
    expect(parseShortDate('04/07/25', 'en-us')).toBe('2025-04-07');
  });
  it('accepts four-digit years', () => {
    expect(parseShortDate('16/03/2026', 'pt-br')).toBe('2026-03-16');
  });
  it('rejects impossible dates for the locale', () => {
    expect(() => parseShortDate('13/25/22', 'en-us')).toThrow(ValueFormatError);
    expect(() => parseShortDate('yesterday', 'pt-br')).toThrow(ValueFormatError);
  });
});

describe('isNullText', () => {
  it('knows the no-value texts', () => {
    expect(['-', '', '--', ' - '].map(isNullText)).toEqual([true, true, true, true]);
    expect(isNullText('0')).toBe(false);
  });
});
