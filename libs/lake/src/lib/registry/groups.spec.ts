import { ASSET_KINDS, ASSET_KIND_IDS, assetKind, kindOfPage, kindOfTable } from './asset-kinds';
import {
  DAILY_TABLES,
  FINALIZE_GROUPS,
  byLayer,
  derivationDepth,
  sourcesOf,
  tablesWrittenBy,
  withDerived,
} from './groups';
import { TABLES, table } from './tables';

describe('asset kinds', () => {
  it('map the scraper page kinds and the tables both ways', () => {
    expect(kindOfPage('acao').id).toBe('acoes');
    expect(kindOfPage('fii').id).toBe('fiis');
    expect(kindOfTable('sot_fiis')?.id).toBe('fiis');
    expect(kindOfTable('raw_pages')).toBeUndefined();
    expect(assetKind('acoes')).toBe(ASSET_KINDS.acoes);
    expect(() => assetKind('acao')).toThrow(expect.objectContaining({ code: 'UNKNOWN_ASSET_KIND' }));
  });

  it.each(ASSET_KIND_IDS)('%s agrees with the registry: steps, derivation, ticker column', (id) => {
    const { tables, tickerColumn } = ASSET_KINDS[id];
    expect(table(tables.summary).writtenBy).toBe('list');
    expect(table(tables.sor).writtenBy).toBe('extract');
    expect(table(tables.sot).writtenBy).toBe('prepare');
    expect(table(tables.sot).derivedFrom).toEqual([tables.sor]);
    expect([table(tables.sor).uniqueKey, table(tables.sot).uniqueKey]).toEqual([tickerColumn, tickerColumn]);
  });
});

describe('table groups derived from the registry', () => {
  it('daily tables, in the order a day writes them', () => {
    expect(DAILY_TABLES).toEqual([
      'summary_acoes',
      'summary_fiis',
      'raw_pages',
      'sor_acoes',
      'sor_fiis',
      'sot_acoes',
      'sot_fiis',
      'spec_cotacoes',
    ]);
  });

  it('the finalize workflow groups: per kind its SoR and SoT, then Spec and the rest', () => {
    expect(FINALIZE_GROUPS).toEqual({
      byKind: { acoes: ['sor_acoes', 'sot_acoes'], fiis: ['sor_fiis', 'sot_fiis'] },
      afterKinds: ['spec_cotacoes', 'raw_pages', 'summary_acoes', 'summary_fiis'],
    });
    // Every daily table is finalized exactly once.
    expect([...Object.values(FINALIZE_GROUPS.byKind).flat(), ...FINALIZE_GROUPS.afterKinds].sort()).toEqual(
      [...DAILY_TABLES].sort(),
    );
  });

  it('what each step writes and reads, and derivation depths', () => {
    expect(tablesWrittenBy('list')).toEqual(['summary_acoes', 'summary_fiis']);
    expect(tablesWrittenBy('extract')).toEqual(['sor_acoes', 'sor_fiis', 'raw_pages']);
    expect(sourcesOf(tablesWrittenBy('prepare'))).toEqual(['sor_acoes', 'sor_fiis']);
    expect(sourcesOf(tablesWrittenBy('specialize'))).toEqual(['sot_acoes', 'sot_fiis']);
    expect(sourcesOf(tablesWrittenBy('ibov-refine'))).toEqual(['ibov_raw']);
    expect(DAILY_TABLES.map(derivationDepth)).toEqual([0, 0, 0, 0, 0, 1, 1, 2]);
    expect(withDerived(['sor_fiis']).sort()).toEqual(['sor_fiis', 'sot_fiis', 'spec_cotacoes']);
  });

  it('byLayer orders by layer, then registry order (the stack grants finalize in this order)', () => {
    expect(byLayer(DAILY_TABLES)).toEqual([
      'sor_acoes',
      'sor_fiis',
      'raw_pages',
      'sot_acoes',
      'sot_fiis',
      'summary_acoes',
      'summary_fiis',
      'spec_cotacoes',
    ]);
  });

  it('every table names its writer, and derives only from tables of the registry', () => {
    const keys = new Set(TABLES.map((t) => t.key));
    for (const t of TABLES) for (const s of t.derivedFrom ?? []) expect(keys.has(s)).toBe(true);
  });
});
