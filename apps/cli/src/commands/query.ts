import { Command, Option } from '@commander-js/extra-typings';
import { TABLES, listPartitions, qualifiedName } from '@b3lake/lake';
import type { CliContext } from '../cli';
import { EXIT, UsageError } from '../exit-codes';
import type { Io } from '../io';
import { localStores, openCatalog } from '../local/context';
import { withDataDir, withJson } from '../options';

export type QueryFormat = 'table' | 'csv' | 'json';

/** `b3lake query "SQL"`: DuckDB over the local lake, same database.table names as Athena. */
export function queryCommand(ctx: CliContext) {
  return withDataDir(
    new Command('query')
      .summary("SQL over the lake with Athena's database.table names")
      .description(
        "SQL over the lake with Athena's names, e.g. db_b3lake_spec.tbspec_fundamentus_cotacao_ativos\n" +
          '("default" must be quoted: "default".tbrefined_b3_carteira_ibov).',
      )
      .argument('<sql>', 'the query, in quotes')
      .addOption(
        new Option('--format <format>', 'output format').choices(['table', 'csv', 'json'] as const).default('table'),
      ),
  ).action(async (sql, options) => {
    ctx.exitCode = await query(sql, options, ctx.io);
  });
}

/** `b3lake tables`: databases, tables, partitions and row counts. */
export function tablesCommand(ctx: CliContext) {
  return withJson(
    withDataDir(
      new Command('tables')
        .summary('databases, tables, partitions and row counts')
        .description('Databases, tables, partitions and row counts of the lake.'),
    ),
  ).action(async (options) => {
    ctx.exitCode = await tables(options, ctx.io);
  });
}

async function query(sql: string, options: { dataDir: string; format: QueryFormat }, io: Io): Promise<number> {
  const catalog = await openCatalog(options.dataDir);
  try {
    await catalog.refresh(TABLES);
    const result = await catalog.query(sql).catch((error: Error) => {
      throw new UsageError(`SQL error: ${error.message.split('\n')[0]}`);
    });
    const names = result.columns.map((c) => c.name);
    if (options.format === 'json') io.out(JSON.stringify(result.rows, null, 2));
    else if (options.format === 'csv')
      io.out(
        [names.map(csvCell).join(','), ...result.rows.map((r) => names.map((n) => csvCell(r[n])).join(','))].join('\n'),
      );
    else io.out(table(names, result.rows));
    return EXIT.OK;
  } finally {
    catalog.close();
  }
}

async function tables(options: { dataDir: string; json?: boolean }, io: Io): Promise<number> {
  const catalog = await openCatalog(options.dataDir);
  const stores = localStores(options.dataDir);
  try {
    await catalog.refresh(TABLES);
    const rows: Record<string, unknown>[] = [];
    for (const def of TABLES) {
      const partitions = await listPartitions(stores(def.layer), def);
      const { rows: counted } = await catalog.query(`SELECT count(*) AS n FROM "${def.database}"."${def.name}"`);
      const latest =
        partitions
          .map((p) => Object.values(p).join('/'))
          .sort()
          .pop() ?? '—';
      rows.push({
        table: qualifiedName(def),
        layer: def.layer,
        partitions: partitions.length,
        rows: counted[0]?.['n'] ?? 0,
        latest,
      });
    }
    io.out(
      options.json ? JSON.stringify(rows, null, 2) : table(['table', 'layer', 'partitions', 'rows', 'latest'], rows),
    );
    return EXIT.OK;
  } finally {
    catalog.close();
  }
}

function show(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function table(names: string[], rows: Record<string, unknown>[]): string {
  const cells = rows.map((r) => names.map((n) => show(r[n])));
  const widths = names.map((n, i) => Math.min(i === 0 ? 64 : 40, Math.max(n.length, ...cells.map((c) => c[i].length))));
  const line = (values: string[]) =>
    values
      .map((v, i) => (v.length > widths[i] ? `${v.slice(0, widths[i] - 1)}…` : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [
    line(names),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map(line),
    `(${rows.length} row${rows.length === 1 ? '' : 's'})`,
  ].join('\n');
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : show(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
