import { gunzipSync } from 'node:zlib';
import { CorruptGzipError } from '../errors';

/**
 * A page or file inflates to a few MB at most (a full listing is ~1 MB); anything larger is not
 * one of ours, and the bound keeps a hostile archive from filling memory.
 */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

/** gzip's magic bytes (RFC 1952): 1f 8b, then compression method 8 (deflate). The content decides, not a file name. */
export function isGzip(body: string | Uint8Array): body is Uint8Array {
  return typeof body !== 'string' && body.length >= 3 && body[0] === 0x1f && body[1] === 0x8b && body[2] === 0x08;
}

/** The content itself: gzip (the lake archives pages as `.html.gz`) is inflated, anything else is returned as is. */
export function gunzipIfCompressed(body: string | Uint8Array): string | Uint8Array {
  if (!isGzip(body)) return body;
  try {
    return new Uint8Array(gunzipSync(body, { maxOutputLength: MAX_INFLATED_BYTES }));
  } catch (error) {
    throw new CorruptGzipError(
      `The content is gzip-compressed but does not decompress (${(error as Error).message}): truncated or corrupt.`,
      { cause: error },
    );
  }
}
