import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ACAO_FIELDS,
  ACOES_LISTING_COLUMNS,
  FII_FIELDS,
  FIIS_LISTING_COLUMNS,
  parseDetailPage,
  parseListingPage,
  type CellType,
} from '@b3lake/scraper';
import { encodeParquet, table, type ColumnType } from '@b3lake/lake';
import { sorRow, sotRow, specRow, summaryRows } from './rows';

const FIXTURES = resolve(__dirname, '../../../../tools/fixtures/fundamentus');
const page = (ticker: string) => parseDetailPage(readFileSync(join(FIXTURES, `detalhes_${ticker}.html`)));
const AT = new Date('2022-05-24T21:45:00Z');

const EXPECTED: Record<CellType, ColumnType> = {
  decimal: 'DOUBLE',
  percent: 'DOUBLE',
  integer: 'BIGINT',
  date: 'DATE',
  text: 'STRING',
  year: 'INT',
};

describe('the lake registry agrees with the scraper mapping', () => {
  it.each([
    ['sot_acoes', ACAO_FIELDS],
    ['sot_fiis', FII_FIELDS],
  ] as const)('%s has every scraper column with the matching type', (key, fields) => {
    const columns = new Map(table(key).columns.map((c) => [c.name, c.type]));
    for (const f of fields as readonly { column: string; column3m?: string; type: CellType }[]) {
      expect([f.column, columns.get(f.column)]).toEqual([f.column, EXPECTED[f.type]]);
      if (f.column3m) expect([f.column3m, columns.get(f.column3m)]).toEqual([f.column3m, EXPECTED[f.type]]);
    }
  });

  it.each([
    ['summary_acoes', ACOES_LISTING_COLUMNS],
    ['summary_fiis', FIIS_LISTING_COLUMNS],
  ] as const)('%s has every listing column with the matching type', (key, columns) => {
    const registry = new Map(table(key).columns.map((c) => [c.name, c.type]));
    for (const c of columns as readonly { column: string; type: CellType }[])
      expect([c.column, registry.get(c.column)]).toEqual([c.column, EXPECTED[c.type]]);
  });

  it('states units in every comment of a fraction column', () => {
    for (const key of ['sot_acoes', 'sot_fiis', 'spec_cotacoes', 'summary_acoes', 'summary_fiis'] as const) {
      for (const c of table(key).columns.filter((c) => /^pct_|yield|margem|roic|roe$|cap_rate|vacancia/.test(c.name))) {
        expect([c.name, c.comment]).toEqual([c.name, expect.stringContaining('fraction, 0.123 = 12.3%')]);
      }
    }
  });
});

describe('row builders', () => {
  it('SoR keeps the page text; SoT types it exactly as the scraper does', () => {
    const petr4 = page('PETR4');
    const sor = sorRow(petr4, AT);
    expect(sor).toMatchObject({
      vlr_cot: '31,60',
      pct_var_dia: '-2,91%',
      dt_ult_cot: '24/05/2022',
      nome_layout: 'company',
      ts_extracao: AT,
    });
    expect(JSON.parse(String(sor['json_pagina']))['Receita Líquida#2']).toBe('141.641.000.000');
    const sot = sotRow('acao', sor);
    expect(sot).toEqual({ ...petr4.values, nome_layout: 'company', ts_extracao: AT });
    expect(() => encodeParquet(table('sor_acoes'), [sor])).not.toThrow();
    expect(() => encodeParquet(table('sot_acoes'), [sot])).not.toThrow();
  });

  it('FII rows fit their tables, and Spec renames per kind', () => {
    const hglg = page('HGLG11');
    const sot = sotRow('fii', sorRow(hglg, AT));
    expect(sot).toEqual({ ...hglg.values, ts_extracao: AT });
    expect(() => encodeParquet(table('sot_fiis'), [sot])).not.toThrow();
    const spec = specRow('fii', sot);
    expect(spec).toMatchObject({
      codigo_ticker_ativo: 'HGLG11',
      tipo_ativo: 'Fundo Imobiliário',
      nome_ativo: 'PÁTRIA LOG FII',
      nome_setor_segmento: 'Multicategoria',
      vlr_cot: 150.3,
      pct_var_30d: -0.0176,
      num_ano_a0: 2026,
    });
    expect(() =>
      encodeParquet(table('spec_cotacoes'), [spec, specRow('acao', sotRow('acao', sorRow(page('ITUB4'), AT)))]),
    ).not.toThrow();
  });

  it('summary rows fit the summary tables', () => {
    const acoes = parseListingPage(readFileSync(join(FIXTURES, 'resultado.html')));
    const fiis = parseListingPage(readFileSync(join(FIXTURES, 'fii_resultado.html')));
    expect(() => encodeParquet(table('summary_acoes'), summaryRows(acoes, AT))).not.toThrow();
    expect(summaryRows(fiis, AT)[0]).toMatchObject({
      codigo_ticker: 'HGLG11',
      nome_fii: 'PÁTRIA LOG FII',
      vlr_cap_rate: 0.076,
    });
    expect(() => encodeParquet(table('summary_fiis'), summaryRows(fiis, AT))).not.toThrow();
  });
});
