/** The lake side of the COTAHIST benchmarks: a pipeline context over a local lake, writers, archiving. */
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HyparquetFixedWidthWriter, LocalFsStore, type FixedWidthWriter } from '@b3lake/lake';
import { DuckDbFixedWidthWriter } from '@b3lake/lake/duckdb';
import { cotahistArchiveKey, type PipelineContext } from '@b3lake/pipeline';

/** A lake context for loadCotahistFile over `lake` (`<data>/lake`), as the brief's minimal one. */
export function benchContext(lake: string, writer: FixedWidthWriter): PipelineContext {
  return {
    stores: (layer: string) => new LocalFsStore(join(lake, layer)),
    catalog: { refresh: async () => undefined },
    clock: { now: () => new Date() },
    fixedWidth: writer,
  } as unknown as PipelineContext;
}

export function makeWriter(name: string, scratchDir: string): FixedWidthWriter {
  if (name === 'duckdb') return new DuckDbFixedWidthWriter({ scratchDir });
  if (name === 'hyparquet') return new HyparquetFixedWidthWriter({ scratchDir });
  throw new Error(`unknown writer ${name}`);
}

/** Puts `file` at its landing key under `lake` (a hard link: no copy, the bytes are the same). */
export function archive(lake: string, file: string, name: string): void {
  const target = join(lake, 'landing', cotahistArchiveKey(name));
  mkdirSync(dirname(target), { recursive: true });
  rmSync(target, { force: true });
  try {
    linkSync(file, target);
  } catch {
    copyFileSync(file, target);
  }
}

/** Bytes of the files under `dir`. */
export function sizeOf(dir: string): number {
  if (!existsSync(dir)) return 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return bytes;
}
