import { gzipSync } from 'node:zlib';
import { CorruptGzipError } from '../errors';
import { gunzipIfCompressed, isGzip } from './gzip';

describe('gzip content', () => {
  const page = Buffer.from('<html><body>Cotação</body></html>', 'latin1');

  it('is recognised by its magic bytes, whatever a file is called', () => {
    expect(isGzip(gzipSync(page))).toBe(true);
    expect(isGzip(page)).toBe(false);
    expect(isGzip('\x1f\x8b\x08 as text')).toBe(false);
  });

  it('is inflated to the exact bytes; other content is returned untouched', () => {
    expect(Buffer.from(gunzipIfCompressed(gzipSync(page)))).toEqual(page);
    expect(gunzipIfCompressed(page)).toBe(page);
  });

  it('fails with CORRUPT_GZIP when truncated', () => {
    const truncated = gzipSync(page).subarray(0, 12);
    expect(() => gunzipIfCompressed(truncated)).toThrow(CorruptGzipError);
    expect(() => gunzipIfCompressed(truncated)).toThrow(
      /gzip-compressed but does not decompress.*truncated or corrupt/,
    );
  });
});
