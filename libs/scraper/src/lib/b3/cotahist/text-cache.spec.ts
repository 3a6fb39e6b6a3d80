import { TextCache } from './text-cache';

const field = (text: string, width: number) => Buffer.from(text.padEnd(width, ' '), 'latin1');
const view = (bytes: Buffer) => new DataView(bytes.buffer, bytes.byteOffset, bytes.length);

describe('TextCache', () => {
  it('gives the trimmed text of a field, the same string object when the value repeats', () => {
    const cache = new TextCache(12, 4);
    const a = field('PETR4', 12);
    const first = cache.read(view(a), a, 0);
    expect(first).toBe('PETR4');
    expect(cache.read(view(a), Buffer.from(a), 0)).toBe(first);
  });

  it('stays right when values outnumber its slots and collide (tiny table, widths 2 to 13)', () => {
    for (const width of [2, 3, 4, 10, 12, 13]) {
      const cache = new TextCache(width, 1);
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 300; i++) {
          const text = `V${i}`.slice(0, width);
          const bytes = Buffer.concat([Buffer.from('xx'), field(text, width), Buffer.from('yy')]);
          expect(cache.read(view(bytes), bytes, 2)).toBe(text);
        }
      }
    }
  });

  it('tells a repeated value from one that differs in its last byte only (the last-value shortcut)', () => {
    for (const width of [4, 5, 13]) {
      const cache = new TextCache(width, 4);
      const values = ['AB', 'AB', 'ABC', 'ABC', 'AB', 'ABD'].map((v) => (width > 4 ? v.padStart(width - 1, 'X') : v));
      const read = values.map((v) => {
        const bytes = field(v, width);
        return cache.read(view(bytes), bytes, 0);
      });
      expect(read).toEqual(values);
    }
  });

  it('keeps inner spaces and latin-1 letters, trims only trailing spaces', () => {
    const cache = new TextCache(10, 4);
    const bytes = field('PN  ÇÃO N2', 10);
    expect(cache.read(view(bytes), bytes, 0)).toBe('PN  ÇÃO N2');
    const blank = field('', 10);
    expect(cache.read(view(blank), blank, 0)).toBe('');
  });
});
