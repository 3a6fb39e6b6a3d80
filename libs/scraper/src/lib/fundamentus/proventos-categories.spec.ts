import { categorizeProvento, PROVENTO_TIPOS } from './proventos-categories';

describe('categorizeProvento', () => {
  it.each([
    // Every Tipo printed on the recorded ITUB4, WEGE3 and HGLG11 pages.
    ['DIVIDENDO', 'dividendo'],
    ['Dividendo', 'dividendo'],
    ['DIVIDENDO MENSAL', 'dividendo'],
    ['Dividendo mensal', 'dividendo'],
    ['JRS CAP PRÓPRIO', 'jcp'],
    ['JRS CAP PROPRIO', 'jcp'],
    ['JUROS', 'juros'],
    ['Juros', 'juros'],
    ['Rendimento', 'rendimento'],
    // The names of those kinds spelled out.
    ['Juros sobre Capital Próprio', 'jcp'],
    ['AMORTIZAÇÃO', 'amortizacao'],
    ['Amortização', 'amortizacao'],
  ])('%s → %s', (tipo, categoria) => {
    expect(categorizeProvento(tipo)).toBe(categoria);
  });

  it('ignores case, accents and extra spaces, nothing more', () => {
    expect(categorizeProvento('  jrs  cap\u00a0próprio ')).toBe('jcp');
    expect(categorizeProvento('JRS CAP')).toBe('outro');
    expect(categorizeProvento('DIVIDENDOS')).toBe('outro');
  });

  it('maps an unknown type to "outro", never to a guess', () => {
    for (const tipo of [
      'Bonificação',
      'RESTITUIÇÃO DE CAPITAL',
      'Rend. Tributado',
      '',
      '-',
      'constructor',
      '__proto__',
    ]) {
      expect(categorizeProvento(tipo)).toBe('outro');
    }
  });

  it('reads an accent lost to U+FFFD only when exactly one known type fits', () => {
    expect(categorizeProvento('JRS CAP PR\ufffdPRIO')).toBe('jcp');
    expect(categorizeProvento('Amortiza\ufffd\ufffdo')).toBe('amortizacao');
    expect(categorizeProvento('\ufffd'.repeat(10))).toBe('outro'); // dividendo, juros, rendimento all fit
  });

  it('lists every mapped spelling by its key', () => {
    expect(Object.keys(PROVENTO_TIPOS).sort()).toEqual([
      'amortizacao',
      'dividendo',
      'dividendo mensal',
      'jrs cap proprio',
      'juros',
      'juros sobre capital proprio',
      'rendimento',
    ]);
  });
});
