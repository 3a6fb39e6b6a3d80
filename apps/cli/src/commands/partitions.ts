import { Command } from '@commander-js/extra-typings';
import { partitionDate, type TableDef } from '@b3lake/lake';
import type { DuckDbCatalog } from '@b3lake/lake/duckdb';
import type { CliContext } from '../cli';
import { EXIT } from '../exit-codes';
import type { Io } from '../io';
import { withDataDir, withJson } from '../options';
import { findTable, sqlName, withLake } from './lake-tables';
import { textTable } from './text-table';

/** `b3lake partitions TABLE`: every partition of a table with its row count, oldest first. */
export function partitionsCommand(ctx: CliContext) {
  return withJson(
    withDataDir(
      new Command('partitions')
        .summary('partitions of a table with row counts')
        .description(
          'Every partition of a table, oldest first, with its ISO date, its key values as SQL compares\n' +
            'them (anomesdia_exec = 20220524) and its row count. TABLE as in b3lake describe.',
        )
        .argument('<table>', 'e.g. db_b3lake_spec.tbspec_fundamentus_cotacao_ativos or tbrefined_b3_carteira_ibov'),
    ),
  ).action(async (name, options) => {
    const def = findTable(name);
    ctx.exitCode = await withLake(ctx.io, options.dataDir, (lake) =>
      partitions(lake, def, options.json ?? false, ctx.io),
    );
  });
}

async function partitions(lake: DuckDbCatalog, def: TableDef, json: boolean, io: Io): Promise<number> {
  const found = (await lake.partitions(def)).map((p) => ({
    date: partitionDate(def, p.values) ?? null,
    partition: p.values,
    rows: p.rows,
  }));
  if (json) {
    io.out(JSON.stringify(found, null, 2));
    return EXIT.OK;
  }
  // The ISO date first, then the keys; a `date` key (IBOV tables) already is that ISO date.
  const names = ['date', ...def.partitionKeys.map((c) => c.name).filter((k) => k !== 'date'), 'rows'];
  const rows = found.map((p) => ({ ...p.partition, date: p.date ?? '—', rows: p.rows }));
  const total = found.reduce((sum, p) => sum + p.rows, 0);
  io.out([`${sqlName(def)}: ${total} rows`, textTable(names, rows, { noun: 'partition' })].join('\n'));
  return EXIT.OK;
}
