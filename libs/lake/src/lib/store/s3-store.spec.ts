import { S3Client } from '@aws-sdk/client-s3';
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
  });
});
