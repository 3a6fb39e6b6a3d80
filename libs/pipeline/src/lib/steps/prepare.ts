import {
  ASSET_KINDS,
  decodeParquet,
  hasCompactedObject,
  objectKey,
  table,
  writeObject,
  type Row,
  type Step,
  type TableKey,
} from '@b3lake/lake';
import { errorCode } from '../errors';
import { derivedBy, rowDerivation } from './derivations';
import type { PipelineContext } from '../ports';
import type { Extracted } from './extract';

/**
 * What a per-ticker step did. `skipped: 'finalized'`: finalize already rebuilt the target
 * partition from the day's rows, so this late run has nothing left to add.
 */
export type StepOutcome = { written: string; skipped?: never } | { skipped: 'finalized'; written?: never };

/** SoR → SoT for one ticker: the page text typed by the columns.md rules. */
export async function prepareStep(ctx: PipelineContext, item: Extracted): Promise<StepOutcome> {
  return deriveOne(ctx, item, 'prepare', ASSET_KINDS[item.kind].tables.sor);
}

/** SoT → Spec for one ticker: the quote columns shared by stocks and FIIs. */
export async function specializeStep(ctx: PipelineContext, item: Extracted): Promise<StepOutcome> {
  return deriveOne(ctx, item, 'specialize', ASSET_KINDS[item.kind].tables.sot);
}

/**
 * Reads the ticker's object of `from` and writes its derived row to `to` (the table `step` derives
 * from it). These steps run from
 * S3 notifications and may run after finalize, which derives `to` from the compacted `from`:
 * - the source object gone because `from` was compacted → finalize derives this ticker: stop;
 * - `to` compacted already → a write would only add a second row beside the compacted one: stop;
 * - `to` compacted while this write was in flight (finalize listed before it landed) → the
 *   write is a stray duplicate: remove it (S3 lists are strongly consistent, so this check sees
 *   any compaction that could have missed the write).
 */
async function deriveOne(ctx: PipelineContext, item: Extracted, step: Step, fromKey: TableKey): Promise<StepOutcome> {
  const from = table(fromKey);
  const to = derivedBy(step, fromKey);
  const derive = rowDerivation(to, fromKey);
  const partition = { anomesdia_exec: item.anomesdia };
  const source = ctx.stores(from.layer);
  const target = ctx.stores(to.layer);
  let rows: Row[];
  try {
    rows = await decodeParquet(from, await source.get(objectKey(from, partition, item.ticker)));
  } catch (error) {
    if (
      isNotFound(error) &&
      ((await hasCompactedObject(source, from, partition)) || (await hasCompactedObject(target, to, partition)))
    )
      return { skipped: 'finalized' };
    throw error;
  }
  if (await hasCompactedObject(target, to, partition)) return { skipped: 'finalized' };
  const written = await writeObject(target, to, partition, item.ticker, rows.map(derive));
  if (await hasCompactedObject(target, to, partition)) {
    await target.delete([written]);
    return { skipped: 'finalized' };
  }
  return { written };
}

/** By code, not class: the S3 store is loaded lazily on AWS and could come from another bundle chunk. */
function isNotFound(error: unknown): boolean {
  return errorCode(error) === 'OBJECT_NOT_FOUND';
}
