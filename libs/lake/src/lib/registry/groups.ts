import { ASSET_KINDS, ASSET_KIND_IDS, kindOfTable, type AssetKind } from './asset-kinds';
import { LAYERS, STEPS, TABLES, table, type Step, type TableKey } from './tables';

/**
 * Table groups, derived from the registry (each table's step, layer, sources and partition keys)
 * and the asset kinds, never listed by hand: a new table or kind joins its groups by itself.
 */

const REGISTRY_ORDER = new Map(TABLES.map((t, i) => [t.key, i]));
const registryIndex = (key: TableKey) => REGISTRY_ORDER.get(key) ?? Number.MAX_SAFE_INTEGER;

/** Whether a table is partitioned by the business date alone (`anomesdia_exec`): finalize compacts those. */
export function isDaily(key: TableKey): boolean {
  return (
    table(key)
      .partitionKeys.map((c) => c.name)
      .join('/') === 'anomesdia_exec'
  );
}

/** Tables a step writes, in registry order. */
export function tablesWrittenBy(step: Step): TableKey[] {
  return TABLES.filter((t) => t.writtenBy === step).map((t) => t.key);
}

/** The tables the given ones are derived from, each once, in the order met. */
export function sourcesOf(keys: readonly TableKey[]): TableKey[] {
  return [...new Set(keys.flatMap((key) => table(key).derivedFrom ?? []))];
}

/** How many derivations separate a table from data written by a fetch step: SoR 0, SoT 1, Spec 2. */
export function derivationDepth(key: TableKey): number {
  const sources = table(key).derivedFrom ?? [];
  return sources.length ? 1 + Math.max(...sources.map(derivationDepth)) : 0;
}

/** The given tables and every table derived from them, directly or not. */
export function withDerived(keys: readonly TableKey[]): TableKey[] {
  const out = new Set(keys);
  for (let grew = true; grew;) {
    grew = false;
    for (const t of TABLES) {
      if (!out.has(t.key) && (t.derivedFrom ?? []).some((s) => out.has(s))) {
        out.add(t.key);
        grew = true;
      }
    }
  }
  return [...out];
}

/** Tables sorted by layer (SoR, SoT, Spec…), then registry order: the order of the stack's grants. */
export function byLayer(keys: readonly TableKey[]): TableKey[] {
  const layer = (key: TableKey) => LAYERS.indexOf(table(key).layer);
  return [...keys].sort((a, b) => layer(a) - layer(b) || registryIndex(a) - registryIndex(b));
}

/**
 * The daily tables in the order a day writes them: by step (list, extract, prepare, specialize),
 * within a step the tables shared by every kind first, then each kind's in ASSET_KINDS order.
 */
export const DAILY_TABLES: readonly TableKey[] = TABLES.map((t) => t.key)
  .filter(isDaily)
  .map((key) => ({
    key,
    rank: [
      STEPS.indexOf(table(key).writtenBy),
      ASSET_KIND_IDS.indexOf(kindOfTable(key)?.id as AssetKind),
      registryIndex(key),
    ],
  }))
  .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.rank[2] - b.rank[2])
  .map(({ key }) => key);

/**
 * How the finalize workflow splits a day: one group per kind (its SoR and the SoT derived from it;
 * kinds run in parallel), then one group for what needs every kind (Spec) with the day's other
 * tables, by layer.
 */
export const FINALIZE_GROUPS: { readonly byKind: Record<AssetKind, TableKey[]>; readonly afterKinds: TableKey[] } =
  (() => {
    const byKind = Object.fromEntries(
      ASSET_KIND_IDS.map((id) => [id, byLayer([ASSET_KINDS[id].tables.sor, ASSET_KINDS[id].tables.sot])]),
    ) as Record<AssetKind, TableKey[]>;
    const grouped = new Set(Object.values(byKind).flat());
    const rest = DAILY_TABLES.filter((key) => !grouped.has(key));
    const derived = rest.filter((key) => table(key).derivedFrom?.length);
    return { byKind, afterKinds: [...derived, ...byLayer(rest.filter((key) => !derived.includes(key)))] };
  })();
