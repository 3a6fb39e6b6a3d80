import { S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startS3rver } from '../../test-support/s3rver';
import { ObjectNotFoundError } from './object-store';
import { S3Store } from './s3-store';

describe('S3Store against s3rver on 127.0.0.1', () => {
  let server: Awaited<ReturnType<typeof startS3rver>>;
  let store: S3Store;

  beforeAll(async () => {
    server = await startS3rver(['b3lake-sor']);
    const client = new S3Client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      // Without these, streamed uploads are stored with chunk framing (silently corrupt) by s3rver.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    store = new S3Store('b3lake-sor', { client, prefix: 'lake' });
  }, 30_000);

  afterAll(async () => server?.stop());

  const collect = async (chunks: AsyncIterable<Uint8Array>) => {
    const parts: Uint8Array[] = [];
    for await (const chunk of chunks) parts.push(chunk);
    return { bytes: Buffer.concat(parts), count: parts.length };
  };

  it('puts and gets the exact bytes', async () => {
    const body = Uint8Array.from([0, 1, 2, 250, 251, 255]);
    await store.put('t/anomesdia_exec=20220524/a.parquet', body);
    expect(await store.get('t/anomesdia_exec=20220524/a.parquet')).toEqual(body);
    expect(store.location).toBe('s3://b3lake-sor/lake/');
  });

  it('lists nested keys without a delimiter, across pages, sorted', async () => {
    const keys = Array.from(
      { length: 1005 },
      (_, i) => `many/date=2022-05-24/ticker=T${String(i).padStart(4, '0')}/p.parquet`,
    );
    for (let i = 0; i < keys.length; i += 50)
      await Promise.all(keys.slice(i, i + 50).map((k) => store.put(k, Uint8Array.of(1))));
    const listed = await store.list('many/');
    expect(listed).toHaveLength(1005);
    expect(listed[0]).toEqual({ key: keys[0], size: 1, modified: expect.any(Date) });
    expect(listed.map((o) => o.key)).toEqual([...keys].sort());
  }, 60_000);

  it('deletes in batches and ignores absent keys', async () => {
    const keys = (await store.list('many/')).map((o) => o.key);
    await store.delete([...keys, 'many/absent.parquet']);
    expect(await store.list('many/')).toEqual([]);
  }, 30_000);

  it('throws ObjectNotFoundError for a missing key and refuses unsafe keys', async () => {
    await expect(store.get('nope/x.parquet')).rejects.toThrow(ObjectNotFoundError);
    await expect(store.put('../escape', Uint8Array.of(1))).rejects.toThrow(/Unsafe object key/);
    await expect(collect(store.getStream('nope/x.zip'))).rejects.toThrow(ObjectNotFoundError);
    await expect(store.putFile('../escape', __filename)).rejects.toThrow(/Unsafe object key/);
  });

  describe('large objects, never whole in memory', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'b3lake-s3store-spec-'));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));
    // 5 MB + 3 bytes: several read chunks, and a length that is no multiple of any buffer size.
    const big = randomBytes(5 * (1 << 20) + 3);

    it('putFile streams a file as one object with its exact bytes', async () => {
      const path = join(scratch, 'year.parquet');
      writeFileSync(path, big);
      await store.putFile('cotahist/ano=2021/COTAHIST_A2021.parquet', path);
      expect(Buffer.from(await store.get('cotahist/ano=2021/COTAHIST_A2021.parquet')).equals(big)).toBe(true);
      expect((await store.list('cotahist/ano=2021/'))[0]).toMatchObject({ size: big.length });
    });

    it('getStream yields the object in chunks, equal to it', async () => {
      const { bytes, count } = await collect(store.getStream('cotahist/ano=2021/COTAHIST_A2021.parquet'));
      expect(bytes.equals(big)).toBe(true);
      expect(count).toBeGreaterThan(1);
    });

    it('putStream uploads a body of unknown length through a temporary file it removes', async () => {
      const spooling = new S3Store('b3lake-sor', { client: store.client, prefix: 'lake', scratchDir: scratch });
      async function* download(): AsyncGenerator<Uint8Array> {
        for (let at = 0; at < big.length; at += 100_000) yield big.subarray(at, at + 100_000);
      }
      await spooling.putStream('cotahist/ano=2021/COTAHIST_A2021.ZIP', download());
      expect(Buffer.from(await store.get('cotahist/ano=2021/COTAHIST_A2021.ZIP')).equals(big)).toBe(true);
      expect(readdirSync(scratch).filter((n) => n.startsWith('b3lake-s3-'))).toEqual([]);
    });

    it('putStream writes nothing when the body fails midway (a cut download), and cleans up', async () => {
      const spooling = new S3Store('b3lake-sor', { client: store.client, prefix: 'lake', scratchDir: scratch });
      async function* cut(): AsyncGenerator<Uint8Array> {
        yield big.subarray(0, 1000);
        throw new Error('connection reset');
      }
      await expect(spooling.putStream('cotahist/ano=2022/COTAHIST_A2022.ZIP', cut())).rejects.toThrow(
        'connection reset',
      );
      expect(await store.list('cotahist/ano=2022/')).toEqual([]);
      expect(readdirSync(scratch).filter((n) => n.startsWith('b3lake-s3-'))).toEqual([]);
    });
  });
});
