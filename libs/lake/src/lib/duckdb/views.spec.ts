import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeObject } from '../dataset';
import { TABLES, table } from '../registry/tables';
import { LocalFsStore } from '../store/local-fs-store';
import { DuckDbCatalog } from './duckdb-catalog';

const spot = (ticker: string, day: string, close: number) => ({
  codigo_ticker: ticker,
  dt_pregao: day,
  vlr_fechamento: close,
  tipo_mercado: 10,
});
const provento = (ticker: string, exDate: string, perShare: number, category = 'rendimento', id = exDate) => ({
  id_provento: id,
  codigo_ticker: ticker,
  dt_com: exDate,
  categoria_provento: category,
  vlr_provento_por_acao: perShare,
});

describe('the trailing 12-month yield view', () => {
  let root: string;
  let catalog: DuckDbCatalog;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'b3lake-views-'));
    const lake = (layer: string) => new LocalFsStore(join(root, 'lake', layer));
    await writeObject(lake('spec'), table('cotahist_spot'), { ano: 2026 }, 'COTAHIST_A2026', [
      spot('HGLG11', '2026-11-27', 160),
      spot('HGLG11', '2026-01-30', 150),
      spot('PETR4', '2026-11-27', 30),
    ]);
    await writeObject(lake('sot'), table('proventos'), { ticker: 'HGLG11' }, 'proventos', [
      provento('HGLG11', '2026-11-27', 1.1),
      provento('HGLG11', '2026-06-30', 1.1),
      provento('HGLG11', '2025-11-28', 1.0),
      provento('HGLG11', '2025-11-27', 5, 'rendimento', 'exactly 12 months before: out'),
      provento('HGLG11', '2026-03-31', 10, 'amortizacao'),
    ]);
    catalog = await DuckDbCatalog.open(':memory:', join(root, 'lake'));
    await catalog.refresh(TABLES);
  });

  afterAll(() => {
    catalog.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('sums the cash per share with data com in the 12 months up to the day, amortizations left out', async () => {
    const { rows } = await catalog.query(
      'SELECT * FROM db_b3lake_spec.vwspec_proventos_yield_12m ORDER BY codigo_ticker, dt_pregao',
    );
    expect(rows.map((r) => ({ ...r, dt_pregao: String(r['dt_pregao']) }))).toEqual([
      {
        codigo_ticker: 'HGLG11',
        dt_pregao: '2026-01-30',
        vlr_fechamento: 150,
        vlr_proventos_12m: 6,
        qtd_proventos_12m: 2,
        pct_yield_12m: 6 / 150,
      },
      {
        codigo_ticker: 'HGLG11',
        dt_pregao: '2026-11-27',
        vlr_fechamento: 160,
        vlr_proventos_12m: 1.1 + 1.1 + 1.0,
        qtd_proventos_12m: 3,
        pct_yield_12m: (1.1 + 1.1 + 1.0) / 160,
      },
      {
        codigo_ticker: 'PETR4',
        dt_pregao: '2026-11-27',
        vlr_fechamento: 30,
        vlr_proventos_12m: 0,
        qtd_proventos_12m: 0,
        pct_yield_12m: 0,
      },
    ]);
  });

  it('describes its columns with their units', async () => {
    const { rows } = await catalog.query(
      "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'vwspec_proventos_yield_12m'",
    );
    expect(rows).toContainEqual({ column_name: 'pct_yield_12m', comment: expect.stringContaining('fraction') });
  });
});
