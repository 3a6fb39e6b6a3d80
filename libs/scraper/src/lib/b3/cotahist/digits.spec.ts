import { readDigits } from './digits';

const digitsOf = (text: string) => {
  const bytes = Buffer.from(text, 'latin1');
  return readDigits(new DataView(bytes.buffer, bytes.byteOffset, bytes.length), bytes, 0, bytes.length);
};

describe('readDigits (four digits at a time)', () => {
  it('reads every four-digit group and every field width of the layout exactly', () => {
    for (let n = 0; n < 10_000; n++) expect(digitsOf(String(n).padStart(4, '0'))).toBe(n);
    for (const text of [
      '7',
      '23',
      '197',
      '64400',
      '0001000',
      '0000000002348',
      '000000000060918600',
      '999999999999999',
    ]) {
      expect(digitsOf(text)).toBe(Number(text));
    }
  });

  it('refuses any byte that is not a digit, wherever it is (-1)', () => {
    const valid = '0000000002348';
    for (let at = 0; at < valid.length; at++) {
      for (const bad of [' ', '/', ':', 'A', '-', '\x00', '\xb9', '\xff']) {
        expect(digitsOf(valid.slice(0, at) + bad + valid.slice(at + 1))).toBe(-1);
      }
    }
  });
});
