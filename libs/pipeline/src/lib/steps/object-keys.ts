import { ASSET_KINDS, ASSET_KIND_IDS, keyFromTable, parseObjectKey, parsePerKeyObject, table } from '@b3lake/lake';
import { isTicker } from '@b3lake/scraper';
import type { Extracted } from './extract';

/**
 * The step item behind an S3 key written by extract (SoR) or prepare (SoT):
 * `<table>/anomesdia_exec=D/<TICKER>.parquet` (lake's objectKey, parsed back by parsePerKeyObject).
 * Compacted objects (`part-<hash>.parquet`) and other tables give undefined, so S3 notifications
 * never trigger work from finalize's writes. Keys arrive URL-encoded, as S3 events report them.
 */
export function itemFromObjectKey(key: string): Extracted | undefined {
  const decoded = decodeEventKey(key);
  if (decoded === undefined) return undefined;
  for (const kind of ASSET_KIND_IDS) {
    const { sor, sot } = ASSET_KINDS[kind].tables;
    for (const k of [sor, sot]) {
      const object = parsePerKeyObject(table(k), decoded);
      if (object && isTicker(object.stem))
        return { ticker: object.stem, kind, anomesdia: Number(object.partition['anomesdia_exec']) };
    }
  }
  return undefined;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The portfolio date of a raw IBOV object key as an S3 event reports it (URL-encoded, e.g.
 * `tbsor_b3_carteira_ibov_raw/date%3D2022-05-24/part-….parquet`, possibly under a store prefix);
 * undefined for any other key.
 */
export function ibovDateFromObjectKey(key: string): string | undefined {
  const raw = table('ibov_raw');
  const inTable = keyFromTable(raw, decodeEventKey(key) ?? '');
  const date = inTable === undefined ? undefined : parseObjectKey(raw, inTable)?.partition['date'];
  return typeof date === 'string' && ISO_DATE.test(date) ? date : undefined;
}

/** An object key as S3 notifications send it (URL-encoded, '+' for a space), decoded; undefined when malformed. */
export function decodeEventKey(key: string): string | undefined {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
