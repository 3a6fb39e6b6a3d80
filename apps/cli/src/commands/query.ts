import { Command, Option } from '@commander-js/extra-typings';
import { TABLES, partitionDate, tablesNamedIn, type TableDef } from '@b3lake/lake';
import type { DuckDbCatalog } from '@b3lake/lake/duckdb';
import type { CliContext } from '../cli';
import { EXIT, UsageError } from '../exit-codes';
import type { Io } from '../io';
import { withDataDir, withJson } from '../options';
import { sqlName, withLake } from './lake-tables';
import { csvTable, textTable } from './text-table';

export type QueryFormat = 'table' | 'csv' | 'json';

/** `b3lake query "SQL"`: DuckDB over the local lake, same database.table names as Athena. */
export function queryCommand(ctx: CliContext) {
  return withDataDir(
    new Command('query')
      .summary("SQL over the lake with Athena's database.table names")
      .description(
        "SQL over the lake with Athena's names, e.g. db_b3lake_spec.tbspec_fundamentus_cotacao_ativos\n" +
          '("default" must be quoted: "default".tbrefined_b3_carteira_ibov). Works while a run writes,\n' +
          "and on a read-only lake: it reads the files, never the run's catalog.duckdb.",
      )
      .argument('<sql>', 'the query, in quotes')
      .addOption(
        new Option('--format <format>', 'output format').choices(['table', 'csv', 'json'] as const).default('table'),
      ),
  ).action(async (sql, options) => {
    ctx.exitCode = await withLake(
      ctx.io,
      options.dataDir,
      (lake) => query(lake, sql, options.format, ctx.io),
      tablesNamedIn(sql),
    );
  });
}

/** `b3lake tables`: databases, tables, partitions and row counts. */
export function tablesCommand(ctx: CliContext) {
  return withJson(
    withDataDir(
      new Command('tables')
        .summary('databases, tables, partitions and row counts')
        .description(
          'Every table of the lake, named as SQL must spell it ("default" quoted), with its layer,\n' +
            'partitions, rows and latest partition date (ISO). See also: b3lake partitions TABLE.',
        ),
    ),
  ).action(async (options) => {
    ctx.exitCode = await withLake(ctx.io, options.dataDir, (lake) => tables(lake, options.json ?? false, ctx.io));
  });
}

async function query(lake: DuckDbCatalog, sql: string, format: QueryFormat, io: Io): Promise<number> {
  const result = await lake.query(sql).catch((error: Error) => {
    throw new UsageError(`SQL error: ${error.message.split('\n')[0]}`);
  });
  const names = result.columns.map((c) => c.name);
  if (format === 'json') io.out(JSON.stringify(result.rows, null, 2));
  else if (format === 'csv') io.out(csvTable(names, result.rows));
  else io.out(textTable(names, result.rows));
  return EXIT.OK;
}

/** One line of `tables`: partitions and rows as DuckDB reads them, the latest partition as an ISO date. */
async function tableSummary(lake: DuckDbCatalog, def: TableDef) {
  const partitions = await lake.partitions(def);
  const dates = partitions.map((p) => partitionDate(def, p.values)).filter((d): d is string => d !== undefined);
  return {
    table: sqlName(def),
    layer: def.layer,
    partitions: partitions.length,
    rows: partitions.reduce((sum, p) => sum + p.rows, 0),
    latest: dates.sort().pop() ?? null,
  };
}

async function tables(lake: DuckDbCatalog, json: boolean, io: Io): Promise<number> {
  const rows = [];
  for (const def of TABLES) rows.push(await tableSummary(lake, def));
  if (json) io.out(JSON.stringify(rows, null, 2));
  else {
    const shown = rows.map((r) => ({ ...r, latest: r.latest ?? '—' }));
    io.out(textTable(['table', 'layer', 'partitions', 'rows', 'latest'], shown));
  }
  return EXIT.OK;
}
