import { parsePartition, table } from '@b3lake/lake';
import type { Extracted } from './extract';

const PER_TICKER = /\/([A-Z0-9]{4,7})\.parquet$/;

/**
 * The step item behind an S3 key written by extract (SoR) or prepare (SoT):
 * `<table>/anomesdia_exec=D/<TICKER>.parquet`. Compacted objects (`part-<hash>.parquet`) and
 * other tables give undefined, so S3 notifications never trigger work from finalize's writes.
 */
export function itemFromObjectKey(key: string): Extracted | undefined {
  const decoded = decodeURIComponent(key.replace(/\+/g, ' '));
  const ticker = PER_TICKER.exec(decoded)?.[1];
  if (!ticker) return undefined;
  for (const [kind, keys] of [
    ['acao', ['sor_acoes', 'sot_acoes']],
    ['fii', ['sor_fiis', 'sot_fiis']],
  ] as const) {
    for (const k of keys) {
      const partition = parsePartition(table(k), decoded);
      if (partition) return { ticker, kind, anomesdia: Number(partition['anomesdia_exec']) };
    }
  }
  return undefined;
}
