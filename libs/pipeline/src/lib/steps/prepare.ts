import { decodeParquet, objectKey, table, writeObject } from '@b3lake/lake';
import { sotRow, specRow } from '../rows';
import type { PipelineContext } from '../ports';
import type { Extracted } from './extract';

const tables = (kind: 'acao' | 'fii') =>
  kind === 'fii' ? { sor: table('sor_fiis'), sot: table('sot_fiis') } : { sor: table('sor_acoes'), sot: table('sot_acoes') };

/** SoR → SoT for one ticker: the page text typed by the columns.md rules. */
export async function prepareStep(ctx: PipelineContext, item: Extracted): Promise<void> {
  const { sor, sot } = tables(item.kind);
  const partition = { anomesdia_exec: item.anomesdia };
  const rows = await decodeParquet(sor, await ctx.stores(sor.layer).get(objectKey(sor, partition, item.ticker)));
  await writeObject(ctx.stores(sot.layer), sot, partition, item.ticker, rows.map((r) => sotRow(item.kind, r)));
}

/** SoT → Spec for one ticker: the quote columns shared by stocks and FIIs. */
export async function specializeStep(ctx: PipelineContext, item: Extracted): Promise<void> {
  const { sot } = tables(item.kind);
  const spec = table('spec_cotacoes');
  const partition = { anomesdia_exec: item.anomesdia };
  const rows = await decodeParquet(sot, await ctx.stores(sot.layer).get(objectKey(sot, partition, item.ticker)));
  await writeObject(ctx.stores(spec.layer), spec, partition, item.ticker, rows.map((r) => specRow(item.kind, r)));
}
