import {
  TABLES,
  UnknownTableError,
  kindOfTable,
  type PageKind,
  type Row,
  type Step,
  type TableDef,
  type TableKey,
} from '@b3lake/lake';
import { sotRow, specRow } from '../rows';

/**
 * The row function of each step that derives a table from another (rows.ts): prepare types SoR
 * into SoT, specialize maps SoT to Spec. The per-ticker steps and finalize apply the same ones;
 * which table derives from which is the registry's (`derivedFrom`).
 */
const ROW_FUNCTIONS: Partial<Record<Step, (pageKind: PageKind, row: Row) => Row>> = {
  prepare: sotRow,
  specialize: specRow,
};

/** The table a step derives from `source`: SoT from a kind's SoR (prepare), Spec from its SoT (specialize). */
export function derivedBy(step: Step, source: TableKey): TableDef {
  const def = TABLES.find((t) => t.writtenBy === step && t.derivedFrom?.includes(source));
  if (!def) throw new UnknownTableError(source, `no table is derived from it by ${step}`);
  return def;
}

/** How `target` gets its row from a row of `source`: its step's row function, for the source's asset kind. */
export function rowDerivation(target: TableDef, source: TableKey): (row: Row) => Row {
  const derive = ROW_FUNCTIONS[target.writtenBy];
  const kind = kindOfTable(source);
  if (!derive || !kind || !target.derivedFrom?.includes(source))
    throw new UnknownTableError(target.key, `no row derivation from ${source}`);
  return (row) => derive(kind.pageKind, row);
}
