import { b3ArchiveKey, listingArchiveKey, pageArchiveKey, pageArchivePrefix, parsePageArchiveKey } from './archive';

describe('landing archive keys', () => {
  it('builds the detail, listing and B3 keys', () => {
    expect(pageArchiveKey(20220524, 'acoes', 'PETR4')).toBe('fundamentus/anomesdia_exec=20220524/acoes/PETR4.html.gz');
    expect(listingArchiveKey(20220524, 'fiis')).toBe(
      'fundamentus/anomesdia_exec=20220524/listings/fii_resultado.html.gz',
    );
    expect(listingArchiveKey(20220524, 'acoes')).toBe('fundamentus/anomesdia_exec=20220524/listings/resultado.html.gz');
    expect(b3ArchiveKey(20220524, 'GetPortfolioDay_IBOV')).toBe(
      'b3/anomesdia_exec=20220524/GetPortfolioDay_IBOV.json.gz',
    );
    expect(pageArchiveKey(20220524, 'fiis', 'HGLG11').startsWith(pageArchivePrefix(20220524))).toBe(true);
  });

  it('parses a detail page key back; listings and other keys give undefined', () => {
    expect(parsePageArchiveKey(pageArchiveKey(20220524, 'fiis', 'HGLG11'))).toEqual({
      anomesdia: 20220524,
      kind: 'fiis',
      ticker: 'HGLG11',
    });
    expect(parsePageArchiveKey(listingArchiveKey(20220524, 'acoes'))).toBeUndefined();
    expect(parsePageArchiveKey('fundamentus/anomesdia_exec=20220524/acao/PETR4.html.gz')).toBeUndefined();
    expect(parsePageArchiveKey('b3/anomesdia_exec=20220524/GetPortfolioDay_IBOV.json.gz')).toBeUndefined();
  });
});
