import { gunzipSync, gzipSync } from 'node:zlib';
import { safeSegment, type ObjectStore } from '@b3lake/lake';
import type { AssetKind } from '../ports';

/** Landing keys of archived raw pages: `fundamentus/anomesdia_exec=D/<kind>/<TICKER>.html.gz`. */
export function pageArchiveKey(anomesdia: number, kind: AssetKind | 'listings', name: string): string {
  return `fundamentus/anomesdia_exec=${safeSegment('date', anomesdia)}/${kind}/${safeSegment('page name', name)}.html.gz`;
}

export function b3ArchiveKey(anomesdia: number, name: string): string {
  return `b3/anomesdia_exec=${safeSegment('date', anomesdia)}/${safeSegment('file name', name)}.json.gz`;
}

export async function archive(landing: ObjectStore, key: string, body: Uint8Array): Promise<void> {
  await landing.put(key, gzipSync(body));
}

export async function readArchive(landing: ObjectStore, key: string): Promise<Uint8Array> {
  return new Uint8Array(gunzipSync(await landing.get(key)));
}
