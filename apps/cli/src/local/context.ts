import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  DAILY_TABLES,
  LocalFsStore,
  StagingStore,
  parsePerKeyObject,
  table,
  writeFileAtomic,
  type Catalog,
  type FixedWidthWriter,
  type Layer,
  type ObjectStore,
  type SqlEngine,
  type TableDef,
} from '@b3lake/lake';
import { DuckDbCatalog, DuckDbFixedWidthWriter } from '@b3lake/lake/duckdb';
import {
  pageArchivePrefix,
  systemClock,
  toAnomesdia,
  type DeadLetter,
  type DeadLetterSink,
  type PipelineContext,
} from '@b3lake/pipeline';
import { B3Client, CotahistClient, FundamentusClient, HttpClient, type RetryEvent } from '@b3lake/scraper';

export interface LocalOptions {
  dataDir: string;
  fundamentusUrl?: string;
  b3Url?: string;
  /** Where B3's COTAHIST zips are (default B3's SerHist folder). */
  cotahistUrl?: string;
  concurrency?: number;
  minIntervalMs?: number;
  timeoutMs?: number;
  maxAttempts?: number;
  onRetry?: (event: RetryEvent) => void;
}

/**
 * Local layout: `<data>/lake/<layer>/<table>/k=v/…`, `<data>/catalog.duckdb`, `<data>/dlq/<date>.jsonl`,
 * `<data>/tmp/` (scratch files of the COTAHIST loads, beside the lake so that their parquet files
 * are renamed into it, not copied across file systems).
 */
export function localPaths(dataDir: string) {
  const root = resolve(dataDir);
  return {
    root,
    lake: join(root, 'lake'),
    catalog: join(root, 'catalog.duckdb'),
    dlq: join(root, 'dlq'),
    tmp: join(root, 'tmp'),
  };
}

/** Whether a run archived any page of `date` in this lake (what `reprocess` rebuilds from). */
export function hasArchivedDay(dataDir: string, date: string): boolean {
  return existsSync(join(localPaths(dataDir).lake, 'landing', pageArchivePrefix(toAnomesdia(date))));
}

export function localStores(
  dataDir: string,
  options: { stagePerKeyObjects?: boolean } = {},
): (layer: Layer) => ObjectStore {
  const stores = new Map<Layer, ObjectStore>();
  const { lake } = localPaths(dataDir);
  return (layer) => {
    let store = stores.get(layer);
    if (!store) {
      const disk = new LocalFsStore(join(lake, layer));
      // A run's per-ticker objects only feed finalize's compaction: they stay in memory.
      store = options.stagePerKeyObjects ? new StagingStore(disk, isPerKeyObjectOfDailyTable) : disk;
      stores.set(layer, store);
    }
    return store;
  };
}

const DAILY = DAILY_TABLES.map((key) => table(key));

/** `<daily table>/anomesdia_exec=D/<TICKER>.parquet`, as writeObject names per-ticker objects. */
function isPerKeyObjectOfDailyTable(key: string): boolean {
  return DAILY.some((def) => parsePerKeyObject(def, key) !== undefined);
}

/** Another b3lake process holds the DuckDB catalog's lock. Retryable: it is free once that process ends. */
export class CatalogInUseError extends Error {
  readonly code = 'CATALOG_IN_USE';
  readonly retryable = true;
  constructor(path: string, cause: unknown) {
    super(`the catalog ${path} is in use by another b3lake process; wait for it to finish`, { cause });
    this.name = 'CatalogInUseError';
  }
}

/** Opens the DuckDB catalog with a clear message when another b3lake process holds it. */
export async function openCatalog(dataDir: string): Promise<DuckDbCatalog> {
  const paths = localPaths(dataDir);
  try {
    return await DuckDbCatalog.open(paths.catalog, paths.lake);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/lock/i.test(message)) throw new CatalogInUseError(paths.catalog, error);
    throw error;
  }
}

/** Builds the adapters of a local run: the same steps as on AWS, with files and DuckDB. */
export async function localContext(
  options: LocalOptions,
): Promise<{ ctx: PipelineContext; close: () => Promise<void> }> {
  const http = new HttpClient({
    concurrency: options.concurrency,
    minIntervalMs: options.minIntervalMs,
    timeoutMs: options.timeoutMs,
    maxAttempts: options.maxAttempts,
    onRetry: options.onRetry,
  });
  const catalog = briefCatalog(options.dataDir);
  const ctx: PipelineContext = {
    stores: localStores(options.dataDir, { stagePerKeyObjects: true }),
    catalog,
    sql: catalog,
    clock: systemClock,
    fundamentus: new FundamentusClient({ baseUrl: options.fundamentusUrl, http }),
    b3: new B3Client({ baseUrl: options.b3Url, http }),
    history: new CotahistClient({ baseUrl: options.cotahistUrl, http }),
  };
  const writer = scratchedWriter(localPaths(options.dataDir).tmp);
  ctx.fixedWidth = writer;
  return {
    ctx,
    close: async () => {
      try {
        await catalog.flush();
      } finally {
        await writer.close();
      }
    },
  };
}

/** DuckDB's fixed-width writer with its scratch folder in the data dir, created on the first write. */
function scratchedWriter(scratchDir: string): FixedWidthWriter & { close(): Promise<void> } {
  const writer = new DuckDbFixedWidthWriter({ scratchDir });
  return {
    write: async (...args) => {
      await mkdir(scratchDir, { recursive: true });
      return writer.write(...args);
    },
    // Stops the writer's worker thread and DuckDB (started at its first write, kept for the next).
    close: () => writer.close(),
  };
}

/**
 * The DuckDB catalog, opened only for the moment a step needs it (the IBOV refine SQL, the views'
 * refresh) and closed again: a run never holds the file's lock while it fetches. A moment's lock
 * held by someone else is waited out. The views are refreshed once, when the run closes
 * (`flush`): finalize and ibov both ask for it, and `query` never reads this file (it builds its
 * own views), so it only serves people who open `catalog.duckdb` directly.
 */
function briefCatalog(dataDir: string): Catalog & SqlEngine & { flush(): Promise<void> } {
  let pending: readonly TableDef[] | undefined;
  const use = async <T>(work: (catalog: DuckDbCatalog) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      let catalog: DuckDbCatalog;
      try {
        catalog = await openCatalog(dataDir);
      } catch (error) {
        if (!(error instanceof CatalogInUseError) || attempt >= 60) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      try {
        return await work(catalog);
      } finally {
        catalog.close();
      }
    }
  };
  return {
    refresh: async (tables) => {
      pending = tables;
    },
    flush: async () => {
      if (!pending) return;
      const tables = pending;
      pending = undefined;
      await use((catalog) => catalog.refresh(tables));
    },
    transform: (sql, inputs) => use((catalog) => catalog.transform(sql, inputs)),
  };
}

/** Dead letters as `<data>/dlq/<date>.jsonl`, one JSON object per line; removed when a run has none. */
export class DeadLetterFile implements DeadLetterSink {
  constructor(private readonly dir: string) {}

  path(date: string): string {
    return join(this.dir, `${date}.jsonl`);
  }

  async read(date: string): Promise<DeadLetter[]> {
    const text = await readFile(this.path(date), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as DeadLetter);
  }

  async replace(date: string, letters: readonly DeadLetter[]): Promise<void> {
    const path = this.path(date);
    if (letters.length === 0) return rm(path, { force: true });
    await writeFileAtomic(path, letters.map((l) => JSON.stringify(l)).join('\n') + '\n');
  }
}
