import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import { parquetSchema } from '../parquet';
import type { Layer } from '../registry/tables';
import { putFile, type ObjectStore } from '../store/object-store';
import {
  checkMapping,
  type FixedWidthMapping,
  type FixedWidthOutput,
  type FixedWidthWriter,
  type RecordBatches,
  type RowFilter,
} from './mapping';
import { checkRecordLength, columnReader, type ColumnReader } from './record-decoder';

/** Rows per row group: bounds the columns held in memory (~100k rows of COTAHIST ≈ 40 MB). */
const ROW_GROUP = 100_000;

/** One output being written: its columns of the current row group and its parquet writer. */
interface OpenOutput {
  output: FixedWidthOutput;
  path: string;
  writer: ParquetWriter;
  columns: unknown[][];
  names: string[];
  keep: (values: Map<string, unknown>) => boolean;
  rows: number;
}

function filterOf(where: RowFilter | undefined): (values: Map<string, unknown>) => boolean {
  const equals = Object.entries(where?.equals ?? {});
  const notIn = Object.entries(where?.notIn ?? {}).map(([name, list]) => [name, new Set(list)] as const);
  return (values) =>
    equals.every(([name, value]) => values.get(name) === value) &&
    notIn.every(([name, list]) => !list.has(values.get(name) as string));
}

/**
 * The fixed-width writer in plain JavaScript (hyparquet-writer): no native binary, so it runs in
 * Lambda. Streams row groups of 100,000 rows to a temporary file per output, then puts each file
 * into its store. Slower than DuckDB's (see bench:cotahist), with the same rows.
 */
export class HyparquetFixedWidthWriter implements FixedWidthWriter {
  constructor(private readonly options: { scratchDir?: string } = {}) {}

  async write(
    records: RecordBatches,
    mapping: FixedWidthMapping,
    outputs: readonly FixedWidthOutput[],
    stores: (layer: Layer) => ObjectStore,
  ): Promise<number[]> {
    checkMapping(mapping, outputs);
    const scratch = await mkdtemp(join(this.options.scratchDir ?? tmpdir(), 'b3lake-fw-'));
    try {
      const readers = new Map<string, ColumnReader>();
      for (const { table } of outputs) {
        for (const c of table.columns) readers.set(c.name, columnReader(c.name, c.type, mapping.columns[c.name]));
      }
      const open: OpenOutput[] = outputs.map((output, i) => {
        const path = join(scratch, `${i}.parquet`);
        const names = output.table.columns.map((c) => c.name);
        return {
          output,
          path,
          writer: new ParquetWriter({
            writer: fileWriter(path),
            schema: parquetSchema(output.table),
            codec: 'SNAPPY',
            createdBy: 'b3lake',
          }),
          names,
          columns: names.map(() => []),
          keep: filterOf(output.where),
          rows: 0,
        };
      });
      const entries = [...readers.entries()];
      const values = new Map<string, unknown>();
      let index = 0;
      for await (const batch of records) {
        for (const record of batch) {
          checkRecordLength(mapping, record, ++index);
          for (const [name, read] of entries) values.set(name, read(record, index));
          for (const out of open) {
            if (!out.keep(values)) continue;
            out.names.forEach((name, c) => out.columns[c].push(values.get(name)));
            if (++out.rows % ROW_GROUP === 0) flush(out);
          }
        }
      }
      for (const out of open) {
        flush(out);
        out.writer.finish();
        await putFile(stores(out.output.table.layer), out.output.key, out.path);
      }
      return open.map((out) => out.rows);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
}

function flush(out: OpenOutput): void {
  if (!out.columns[0]?.length) return;
  out.writer.write({
    columnData: out.names.map((name, c) => ({ name, data: out.columns[c] })),
    rowGroupSize: ROW_GROUP,
  });
  out.columns = out.names.map(() => []);
}
