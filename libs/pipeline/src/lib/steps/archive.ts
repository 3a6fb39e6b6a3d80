import { gunzipSync, gzipSync } from 'node:zlib';
import { ASSET_KINDS, isAssetKind, safeSegment, type AssetKind, type ObjectStore } from '@b3lake/lake';

/**
 * Landing keys of the archived raw sources, built and parsed here:
 * - detail pages `fundamentus/anomesdia_exec=D/<kind>/<TICKER>.html.gz` (pageArchiveKey ↔ parsePageArchiveKey);
 * - listing pages `fundamentus/anomesdia_exec=D/listings/<listing>.html.gz` (listingArchiveKey);
 * - B3 responses `b3/anomesdia_exec=D/<name>.json.gz` (b3ArchiveKey).
 */
const FUNDAMENTUS = 'fundamentus';
const LISTINGS = 'listings';
const PAGE_SUFFIX = '.html.gz';
const PAGE_KEY = /^fundamentus\/anomesdia_exec=(\d+)\/([^/]+)\/([A-Z0-9]+)\.html\.gz$/;

/** Folder of every Fundamentus page archived for a business date. */
export function pageArchivePrefix(anomesdia: number): string {
  return `${FUNDAMENTUS}/anomesdia_exec=${safeSegment('date', anomesdia)}/`;
}

/** Landing key of an archived page: a ticker's detail page under its kind, or a listing under `listings`. */
export function pageArchiveKey(anomesdia: number, kind: AssetKind | typeof LISTINGS, name: string): string {
  return `${pageArchivePrefix(anomesdia)}${kind}/${safeSegment('page name', name)}${PAGE_SUFFIX}`;
}

/** Landing key of a kind's archived listing page (`listings/resultado.html.gz`). */
export function listingArchiveKey(anomesdia: number, kind: AssetKind): string {
  return pageArchiveKey(anomesdia, LISTINGS, ASSET_KINDS[kind].listing);
}

/** The detail page behind a landing key (the inverse of pageArchiveKey); undefined for listings and other keys. */
export function parsePageArchiveKey(key: string): { anomesdia: number; kind: AssetKind; ticker: string } | undefined {
  const match = PAGE_KEY.exec(key);
  if (!match || !isAssetKind(match[2])) return undefined;
  return { anomesdia: Number(match[1]), kind: match[2], ticker: match[3] };
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
