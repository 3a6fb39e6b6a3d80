import { cleanText, decodeBody, labelKey, matchDamagedKey } from './text';

describe('decodeBody', () => {
  it('decodes valid UTF-8 as UTF-8', () => {
    expect(decodeBody(new TextEncoder().encode('Cotação'))).toBe('Cotação');
  });
  it('decodes Latin-1/Windows-1252 bytes as Windows-1252, including the en dash 0x96', () => {
    expect(
      decodeBody(Uint8Array.from([0x43, 0x6f, 0x74, 0x61, 0xe7, 0xe3, 0x6f, 0x20, 0x96, 0x20, 0x93, 0x78, 0x94])),
    ).toBe('Cotação – “x”');
  });
  it('strips a UTF-8 byte-order mark', () => {
    expect(decodeBody(Uint8Array.from([0xef, 0xbb, 0xbf, 0x41]))).toBe('A');
  });
  it('passes strings through, repairing only C1 controls left by a Latin-1 mis-decoding', () => {
    expect(decodeBody('já')).toBe('já');
    expect(decodeBody('EQ 406/407-SUL \u0096 Lote 1')).toBe('EQ 406/407-SUL – Lote 1');
  });
});

describe('labelKey', () => {
  it.each([
    ['Vol $ méd (2m)', 'vol $ med (2m)'],
    ['Div Br/ Patrim', 'div br/patrim'],
    ['Dív Líq / Patrim', 'div liq/patrim'],
    ['  Últ balanço\n processado ', 'ult balanco processado'],
    ['Mrg. Líq.', 'mrg.liq.'],
  ])('normalises %j to %j', (label, key) => {
    expect(labelKey(label)).toBe(key);
  });
});

describe('cleanText', () => {
  it('collapses tabs, newlines and non-breaking spaces', () => {
    expect(cleanText('\n\t\t-0,20\u00a0\t')).toBe('-0,20');
  });
});

describe('matchDamagedKey', () => {
  const known = ['cotacao', 'qtd de imoveis', 'vacancia media', 'liquidez'];
  it('repairs a label whose accents became U+FFFD when exactly one known label fits', () => {
    expect(matchDamagedKey(labelKey('Cota\ufffd\ufffdo'), known)).toBe('cotacao');
    expect(matchDamagedKey(labelKey('Vac\ufffdncia M\ufffddia'), known)).toBe('vacancia media');
  });
  it('accepts one U+FFFD per UTF-8 byte of a lost accent', () => {
    expect(matchDamagedKey(labelKey('Qtd de im\ufffd\ufffdveis'), known)).toBe('qtd de imoveis');
  });
  it('refuses an ambiguous repair', () => {
    expect(matchDamagedKey('a\ufffd', ['ab', 'ac'])).toBeUndefined();
  });
  it('ignores undamaged labels', () => {
    expect(matchDamagedKey('cotacao', known)).toBeUndefined();
  });
});

describe('decodeCp1252', () => {
  it('maps the 0x80–0x9F range to the Windows-1252 characters, not C1 controls', () => {
    const { decodeCp1252 } = jest.requireActual<typeof import('./text')>('./text');
    expect(decodeCp1252(Uint8Array.from([0x80, 0x85, 0x96, 0x97, 0x9f, 0xe9]))).toBe('€…–—Ÿé');
  });
});
