import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  LocalFsStore,
  type Catalog,
  type Layer,
  type ObjectStore,
  type PartitionValues,
  type TableDef,
} from '@b3lake/lake';
import type { FetchedPage } from '@b3lake/scraper';
import type { AssetKind, FundamentusSource, PipelineContext } from '../lib/ports';

export const FIXTURES = resolve(__dirname, '../../../../tools/fixtures');

export const fixtureBytes = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(join(FIXTURES, 'fundamentus', name)));

/** Serves tools/fixtures as Fundamentus, in process (the steps only see the port). */
export const fixtureSource: FundamentusSource = {
  fetchListingPage: async (kind: AssetKind) => page(kind === 'acoes' ? 'resultado.html' : 'fii_resultado.html', kind),
  fetchDetailPage: async (ticker: string) => page(`detalhes_${ticker}.html`, ticker),
  detailUrl: (ticker: string) => `https://fixture/${ticker}`,
};

function page(file: string, what: string): FetchedPage {
  return {
    url: `https://fixture/${what}`,
    status: 200,
    headers: new Headers(),
    body: fixtureBytes(file),
    attempts: 1,
    fetchedAt: new Date('2022-05-24T21:45:00Z'),
  };
}

export interface TempLake {
  ctx: PipelineContext;
  /** Every key put, in order, as `<layer>:<key>`. */
  puts: string[];
  refreshed: number;
  partitions: { table: string; values: PartitionValues[] }[];
  store(layer: Layer): ObjectStore;
  cleanup(): void;
}

/** A lake in a temporary folder (one LocalFsStore per layer) that records writes and catalog calls. */
export function tempLake(): TempLake {
  const root = mkdtempSync(join(tmpdir(), 'b3lake-pipeline-'));
  const lake: TempLake = {
    puts: [],
    refreshed: 0,
    partitions: [],
    store: (layer) => new LocalFsStore(join(root, layer)),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
    ctx: undefined as unknown as PipelineContext,
  };
  const catalog: Catalog = {
    refresh: async () => void lake.refreshed++,
    addPartitions: async (def: TableDef, values: readonly PartitionValues[]) =>
      void lake.partitions.push({ table: def.name, values: [...values] }),
  };
  lake.ctx = {
    stores: (layer) => {
      const inner = lake.store(layer);
      return {
        location: inner.location,
        get: (k) => inner.get(k),
        list: (p) => inner.list(p),
        delete: (k) => inner.delete(k),
        put: async (k, b) => void (lake.puts.push(`${layer}:${k}`), await inner.put(k, b)),
      };
    },
    catalog,
    sql: { transform: () => Promise.reject(new Error('no SQL in these specs')) },
    clock: { now: () => new Date('2022-05-24T22:00:00Z') },
    fundamentus: fixtureSource,
    b3: { fetchPortfolioDay: () => Promise.reject(new Error('no B3 in these specs')) },
  };
  return lake;
}
