import { Readable } from 'node:stream';
import { cotahistFile, cotahistQuote as quote, zipOf, type ZipEntry } from '../../../test-support/cotahist';
import { CotahistReader, parseCotahist } from './reader';
import { CotahistZipError } from './zip-error';

const TEXT = cotahistFile(
  Array.from({ length: 300 }, (_, i) => quote({ ticker: `TICK${i}`, trades: i })),
  '\r\n',
);
const ENTRY = 'COTAHIST_D26032021.TXT';

/** The tickers read from `bytes`, fed in chunks of `size` bytes, and the reader. */
async function read(bytes: Buffer, size = 64 * 1024) {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  const reader = new CotahistReader(chunks);
  const tickers: string[] = [];
  for await (const batch of reader.batches()) for (const q of batch) tickers.push(q.ticker);
  return { tickers, reader };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

const zipError = (problem: string, message?: RegExp) =>
  expect.objectContaining({
    code: 'COTAHIST_ZIP',
    problem,
    ...(message ? { message: expect.stringMatching(message) } : {}),
  });

describe('COTAHIST zip', () => {
  const expected = Array.from({ length: 300 }, (_, i) => `TICK${i}`);

  it.each<[string, Partial<ZipEntry>]>([
    ['deflated, sizes in the header', {}],
    ['deflated with a data descriptor (bit 3)', { descriptor: true }],
    ['deflated with a data descriptor without its signature', { descriptor: { signature: false } }],
    ['stored', { method: 'store' }],
    ['deflated with ZIP64 sizes', { zip64: true }],
  ])('reads the one .TXT file of a zip: %s', async (_, variant) => {
    const { tickers, reader } = await read(zipOf([{ name: ENTRY, data: TEXT, ...variant }]));
    expect(tickers).toEqual(expected);
    expect([reader.container, reader.entryName, reader.textBytes]).toEqual(['zip', ENTRY, TEXT.length]);
  });

  it('finds the end of a data-descriptor entry whatever the chunk sizes (1, 7, 4096 bytes)', async () => {
    const zip = zipOf([{ name: ENTRY, data: TEXT, descriptor: true }]);
    for (const size of [1, 7, 4096]) expect((await read(zip, size)).tickers).toEqual(expected);
  });

  it('reads a zip from a Node Readable, as from a file or an HTTP body', async () => {
    const zip = zipOf([{ name: ENTRY, data: TEXT, descriptor: true }]);
    const reader = new CotahistReader(Readable.from([zip.subarray(0, 1000), zip.subarray(1000)]));
    let count = 0;
    for await (const q of reader) count += q.ticker.startsWith('TICK') ? 1 : 0;
    expect(count).toBe(300);
    expect(reader.sourceBytes).toBe(zip.length);
  });

  it('stops inflating and releases the source when the consumer stops early', async () => {
    const zip = zipOf([{ name: ENTRY, data: TEXT, descriptor: true }]);
    const source = Readable.from(
      zip
        .toString('latin1')
        .match(/[\s\S]{1,500}/g)!
        .map((c) => Buffer.from(c, 'latin1')),
    );
    for await (const q of new CotahistReader(source)) if (q.ticker === 'TICK5') break;
    expect(source.destroyed).toBe(true);
  });

  it('refuses a zip cut at any point as truncated (a partial download)', async () => {
    for (const variant of [{}, { descriptor: true }, { method: 'store' as const }]) {
      const zip = zipOf([{ name: ENTRY, data: TEXT, ...variant }]);
      const cuts = [4, 30, 40, 60, 200, zip.length - 200, zip.length - 80, zip.length - 30, zip.length - 1];
      for (const cut of cuts) {
        await expect(failure(read(zip.subarray(0, cut), 333))).resolves.toEqual(zipError('truncated'));
      }
    }
  });

  it('refuses every cut of a small zip with a data descriptor as truncated, whatever byte it stops at', async () => {
    const small = cotahistFile([quote(), quote({ ticker: 'VALE3' })]);
    const zip = zipOf([{ name: ENTRY, data: small, descriptor: true }]);
    for (let cut = 4; cut < zip.length; cut++) {
      await expect(failure(read(zip.subarray(0, cut), 50))).resolves.toEqual(zipError('truncated'));
    }
  });

  it('refuses an archive that does not hold exactly one .TXT file', async () => {
    const txt = { name: ENTRY, data: TEXT };
    const cases: [Buffer, RegExp][] = [
      [zipOf([txt, { name: 'COTAHIST_D29032021.TXT', data: TEXT }]), /more than one file/],
      [zipOf([{ name: 'LEIAME.PDF', data: 'x' }, txt]), /first file is "LEIAME.PDF"/],
      [zipOf([{ name: 'COTAHIST/', data: '' }]), /first file is "COTAHIST\/"/],
      [zipOf([]), /holds no file/],
    ];
    for (const [zip, message] of cases) {
      await expect(failure(read(zip))).resolves.toEqual(zipError('entries', message));
    }
  });

  it('catches a changed byte with the CRC-32, even where the record still reads (a digit of a price)', async () => {
    const zip = zipOf([{ name: ENTRY, data: TEXT, method: 'store' }]);
    const at = zip.indexOf('0000000002348');
    zip[at + 10] = '9'.charCodeAt(0);
    await expect(failure(read(zip))).resolves.toEqual(zipError('corrupt', /CRC-32/));
  });

  it('refuses damaged deflate data, an encrypted entry and an unknown compression method', async () => {
    const damaged = zipOf([{ name: ENTRY, data: TEXT }]);
    damaged.fill(0xff, 60, 90);
    await expect(failure(read(damaged))).resolves.toEqual(zipError('corrupt', /does not inflate|CRC-32/));
    const encrypted = zipOf([{ name: ENTRY, data: TEXT }]);
    encrypted.writeUInt16LE(1, 6);
    await expect(failure(read(encrypted))).resolves.toEqual(zipError('unsupported', /encrypted/));
    const deflate64 = zipOf([{ name: ENTRY, data: TEXT }]);
    deflate64.writeUInt16LE(9, 8);
    await expect(failure(read(deflate64))).resolves.toEqual(zipError('unsupported', /method 9/));
  });

  it('refuses bytes after the end record', async () => {
    const zip = Buffer.concat([zipOf([{ name: ENTRY, data: TEXT }]), Buffer.from('junk')]);
    await expect(failure(read(zip))).resolves.toEqual(zipError('corrupt', /follow its end record/));
  });

  it('is a ScraperError with a one-line message', async () => {
    const error = await failure(parseCotahist(zipOf([{ name: ENTRY, data: TEXT }]).subarray(0, 10)));
    expect(error).toBeInstanceOf(CotahistZipError);
    expect((error as Error).message).toBe('COTAHIST zip is truncated: it ends inside its first header.');
  });
});
