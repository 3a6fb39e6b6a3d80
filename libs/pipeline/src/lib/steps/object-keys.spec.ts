import { itemFromObjectKey } from './object-keys';

describe('itemFromObjectKey', () => {
  it('maps SoR and SoT per-ticker keys (URL-encoded as in S3 events) to step items', () => {
    expect(
      itemFromObjectKey('tbsor_fundamentus_indicadores_acoes_raw/anomesdia_exec%3D20220524/PETR4.parquet'),
    ).toEqual({ ticker: 'PETR4', kind: 'acoes', anomesdia: 20220524 });
    expect(itemFromObjectKey('tbsot_fundamentus_indicadores_fiis_prep/anomesdia_exec=20220524/HGLG11.parquet')).toEqual(
      { ticker: 'HGLG11', kind: 'fiis', anomesdia: 20220524 },
    );
  });
  it('ignores compacted objects and other tables, so finalize never re-triggers prepare', () => {
    expect(
      itemFromObjectKey(
        'tbsor_fundamentus_indicadores_acoes_raw/anomesdia_exec=20220524/part-0a1b2c3d4e5f6a7b.parquet',
      ),
    ).toBeUndefined();
    expect(itemFromObjectKey('tbsor_fundamentus_paginas_raw/anomesdia_exec=20220524/PETR4.parquet')).toBeUndefined();
    expect(itemFromObjectKey('elsewhere/PETR4.parquet')).toBeUndefined();
    expect(itemFromObjectKey('tbsor_fundamentus_indicadores_acoes_raw/anomesdia_exec=1/%E0.parquet')).toBeUndefined();
  });
});
