import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { TABLES } from '@b3lake/lake';
import { DuckDbCatalog } from '@b3lake/lake/duckdb';
import { holdCatalog } from '../test-support/catalog-holder';
import { cli } from '../test-support/run-cli';
import { writeSmallLake } from '../test-support/small-lake';

// Each command builds an in-memory DuckDB over the lake (~0.3 s); a loaded machine needs room.
jest.setTimeout(20_000);

const SOT = 'db_b3lake_sot.tbsot_fundamentus_indicadores_acoes_prep';
const dirs: string[] = [];
let lake: string;

beforeAll(async () => {
  lake = await writeSmallLake();
  dirs.push(lake);
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const everyFile = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

describe('b3lake query', () => {
  it('answers SQL with Athena names, the INT partition key included', async () => {
    const sql = `SELECT nome_papel, anomesdia_exec FROM ${SOT} ORDER BY anomesdia_exec, nome_papel`;
    const { code, out } = await cli('query', sql, '--format', 'json', '--data-dir', lake);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([
      { nome_papel: 'PETR4', anomesdia_exec: 20220524 },
      { nome_papel: 'VALE3', anomesdia_exec: 20220524 },
      { nome_papel: 'PETR4', anomesdia_exec: 20220525 },
    ]);
  });

  it('shows the units as column comments in duckdb_columns()', async () => {
    const sql =
      "SELECT comment FROM duckdb_columns() WHERE schema_name = 'db_b3lake_sot' " +
      "AND table_name = 'tbsot_fundamentus_indicadores_acoes_prep' AND column_name = 'pct_var_dia'";
    const { out } = await cli('query', sql, '--format', 'csv', '--data-dir', lake);
    expect(out.split('\n')[1]).toMatch(/fraction, 0\.123 = 12\.3%/);
  });

  it('exits 2 on an SQL error, with DuckDB’s first line', async () => {
    const { code, err } = await cli('query', 'SELECT nope FROM nowhere', '--data-dir', lake);
    expect(code).toBe(2);
    expect(err).toMatch(/SQL error: .*nowhere/);
  });
});

describe('reading commands are never blocked by a run', () => {
  it('query, tables, describe and partitions answer while another process holds catalog.duckdb', async () => {
    const catalogFile = join(lake, 'catalog.duckdb');
    const holder = await holdCatalog(catalogFile);
    try {
      // The holder really has the lock: this process cannot open the file.
      await expect(DuckDBInstance.create(catalogFile)).rejects.toThrow(/lock/i);
      expect((await cli('query', `SELECT count(*) AS n FROM ${SOT}`, '--data-dir', lake)).out).toMatch(/^n\n-+\n3\n/);
      for (const argv of [['tables'], ['describe', SOT], ['partitions', SOT]]) {
        const { code, err } = await cli(...argv, '--data-dir', lake);
        expect({ argv, code, err }).toEqual({ argv, code: 0, err: '' });
      }
    } finally {
      await holder.release();
      rmSync(catalogFile, { force: true });
    }
  });

  it('reads a read-only lake and writes nothing into it', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'b3lake-readonly-'));
    dirs.push(copy);
    cpSync(lake, copy, { recursive: true });
    const before = everyFile(copy);
    chmodSync(copy, 0o555);
    for (const dir of readdirSync(join(copy, 'lake'))) chmodSync(join(copy, 'lake', dir), 0o555);
    try {
      const { code, out } = await cli(
        'query',
        `SELECT count(*) AS n FROM ${SOT}`,
        '--format',
        'csv',
        '--data-dir',
        copy,
      );
      expect({ code, out }).toEqual({ code: 0, out: 'n\n3' });
      expect((await cli('tables', '--data-dir', copy)).code).toBe(0);
    } finally {
      chmodSync(copy, 0o755);
      for (const dir of readdirSync(join(copy, 'lake'))) chmodSync(join(copy, 'lake', dir), 0o755);
    }
    expect(everyFile(copy)).toEqual(before);
  });

  it('leaves catalog.duckdb to the run: a query neither creates nor changes it', async () => {
    const catalogFile = join(lake, 'catalog.duckdb');
    await cli('query', 'SELECT 1', '--data-dir', lake);
    expect(existsSync(catalogFile)).toBe(false);
  });
});

describe('no lake at DIR', () => {
  it.each([['query', 'SELECT 1'], ['tables'], ['describe', SOT], ['partitions', SOT]])(
    '%s on a missing folder exits 4 with "no lake at DIR" and creates nothing',
    async (...argv) => {
      const parent = mkdtempSync(join(tmpdir(), 'b3lake-nolake-'));
      dirs.push(parent);
      const missing = join(parent, 'not-here');
      const { code, err } = await cli(...argv, '--data-dir', missing);
      expect(code).toBe(4);
      expect(err).toBe(
        `b3lake: error: no lake at ${missing} (it has no lake/ folder); give the folder a run wrote with ` +
          `--data-dir, or create one with 'npx b3lake run --data-dir ${missing}'`,
      );
      expect(readdirSync(parent)).toEqual([]);
    },
  );

  it('an existing folder without lake/ is no lake either, and stays empty', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'b3lake-nolake-'));
    dirs.push(empty);
    mkdirSync(join(empty, 'dlq'));
    const { code, err } = await cli('tables', '--data-dir', empty);
    expect(code).toBe(4);
    expect(err).toMatch(/no lake at /);
    expect(everyFile(empty)).toEqual(['dlq']);
  });
});

describe('b3lake tables', () => {
  it('prints every table as SQL must spell it, with the latest partition as an ISO date', async () => {
    const { code, out } = await cli('tables', '--data-dir', lake);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines.find((l) => l.startsWith(SOT))).toMatch(/sot\s+2\s+3\s+2022-05-25$/);
    expect(lines.find((l) => l.startsWith('"default".tbrefined_b3_carteira_ibov'))).toMatch(
      /refined\s+2\s+2\s+2022-05-24$/,
    );
    expect(lines.find((l) => l.startsWith('db_b3lake_spec.'))).toMatch(/spec\s+0\s+0\s+—$/);
  });

  it('--json gives ISO dates or null, and every printed name works in a query as typed', async () => {
    const rows = JSON.parse((await cli('tables', '--json', '--data-dir', lake)).out) as Record<string, unknown>[];
    expect(rows).toHaveLength(TABLES.length);
    for (const row of rows) expect(String(row['latest'])).toMatch(/^\d{4}-\d{2}-\d{2}$|^null$/);
    // One query naming every table as printed: it only parses if each name works as typed.
    const sql = rows.map((r, i) => `SELECT ${i} AS i, count(*) AS n FROM ${r['table']}`).join(' UNION ALL ');
    const { code, out } = await cli('query', `${sql} ORDER BY i`, '--format', 'json', '--data-dir', lake);
    expect(code).toBe(0);
    expect(JSON.parse(out).map((r: { n: number }) => r.n)).toEqual(rows.map((r) => r['rows']));
    expect(rows.map((r) => r['table'])).toContain('"default".tbrefined_b3_carteira_ibov');
  });
});

describe('catalog.duckdb for people who open it directly', () => {
  it('holds the same views, with the units as column comments', async () => {
    const catalog = await DuckDbCatalog.open(join(lake, 'catalog.duckdb'), join(lake, 'lake'));
    try {
      await catalog.refresh(TABLES);
    } finally {
      catalog.close();
    }
    const reopened = await DuckDBInstance.create(join(lake, 'catalog.duckdb'), { access_mode: 'READ_ONLY' });
    const connection = await reopened.connect();
    const reader = await connection.runAndReadAll(
      "SELECT comment FROM duckdb_columns() WHERE table_name = 'tbrefined_b3_carteira_ibov' " +
        "AND column_name = 'pct_participacao'",
    );
    expect(String(reader.getRowObjects()[0]['comment'])).toMatch(/fraction/);
    connection.closeSync();
    reopened.closeSync();
    rmSync(join(lake, 'catalog.duckdb'), { force: true });
  });
});
