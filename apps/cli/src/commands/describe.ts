import { Command } from '@commander-js/extra-typings';
import { PARTITION_KEY_RULES, type PartitionKeyName, type TableDef } from '@b3lake/lake';
import type { DuckDbCatalog } from '@b3lake/lake/duckdb';
import type { CliContext } from '../cli';
import { EXIT } from '../exit-codes';
import type { Io } from '../io';
import { withDataDir, withJson } from '../options';
import { findTable, sqlName, withLake } from './lake-tables';
import { textTable } from './text-table';

/** `b3lake describe TABLE`: columns, types and units, as DuckDB's catalog holds them. */
export function describeCommand(ctx: CliContext) {
  return withJson(
    withDataDir(
      new Command('describe')
        .summary('columns, types and units of a table')
        .description(
          'Columns, types and units of a table, read from the catalog (duckdb_columns().comment, the\n' +
            'same comments Glue holds). TABLE is db.table, "default".table or just the table name.',
        )
        .argument('<table>', 'e.g. db_b3lake_spec.tbspec_fundamentus_cotacao_ativos or tbrefined_b3_carteira_ibov'),
    ),
  ).action(async (name, options) => {
    const def = findTable(name);
    ctx.exitCode = await withLake(ctx.io, options.dataDir, (lake) =>
      describe(lake, def, options.json ?? false, ctx.io),
    );
  });
}

/** A partition key and how its values are written (the rule in libs/lake registry/partition-keys.ts). */
function partitionKey(def: TableDef, name: string) {
  const rule: { type: string; format?: string } | undefined = PARTITION_KEY_RULES[name as PartitionKeyName];
  return { name, type: rule?.type ?? def.partitionKeys.find((c) => c.name === name)?.type, format: rule?.format };
}

async function describe(lake: DuckDbCatalog, def: TableDef, json: boolean, io: Io): Promise<number> {
  const keys = def.partitionKeys.map((c) => partitionKey(def, c.name));
  const columns = (await lake.columns(def)).map((c) => ({
    ...c,
    partitionKey: keys.some((k) => k.name === c.name),
  }));
  if (json) {
    const { database, name, layer, description } = def;
    io.out(
      JSON.stringify(
        { table: sqlName(def), database, name, layer, description, partitionKeys: keys, columns },
        null,
        2,
      ),
    );
    return EXIT.OK;
  }
  const keyText = keys.map((k) => `${k.name} (${[k.type, k.format].filter(Boolean).join(' ')})`).join(', ');
  const rows = columns.map((c) => ({
    column: c.name,
    type: c.type,
    'unit / meaning': `${c.partitionKey ? 'partition key; ' : ''}${c.comment ?? '(not in the registry)'}`,
  }));
  io.out(
    [
      `${sqlName(def)} — ${def.description}`,
      `layer ${def.layer}${keyText ? ` · partitioned by ${keyText}` : ''}`,
      '',
      textTable(['column', 'type', 'unit / meaning'], rows, { wideLast: true, noun: 'column' }),
    ].join('\n'),
  );
  return EXIT.OK;
}
