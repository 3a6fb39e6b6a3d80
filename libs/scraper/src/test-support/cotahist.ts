/**
 * Synthetic COTAHIST files for tests and benchmarks (`@b3lake/scraper/testing`): records built
 * field by field with the widths printed in B3's layout document (written here, not taken from
 * layout.ts, so a wrong offset there cannot hide), and zip archives of them in the variants the
 * reader must accept or refuse.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createDeflateRaw, crc32, deflateRawSync } from 'node:zlib';

const pad = (text: string | number, width: number, numeric: boolean) =>
  numeric ? String(text).padStart(width, '0') : String(text).padEnd(width, ' ');

export function cotahistHeader(date = '20210326'): string {
  return '00' + pad('COTAHIST.2021', 13, false) + pad('BOVESPA', 8, false) + date + ' '.repeat(214);
}

/** `total`: every record of the file, header and trailer included. */
export function cotahistTrailer(total: number): string {
  return (
    '99' +
    pad('COTAHIST.2021', 13, false) +
    pad('BOVESPA', 8, false) +
    '20210326' +
    pad(total, 11, true) +
    ' '.repeat(203)
  );
}

export interface QuoteFields {
  date?: string;
  ticker?: string;
  market?: number;
  name?: string;
  /** PREABE, PREMAX, PREMIN, PREMED, PREULT, PREOFC, PREOFV in centavos. */
  prices?: number[];
  trades?: number;
  quantity?: number;
  /** Centavos. */
  volume?: number;
  expiry?: string;
  factor?: number;
  bdi?: string;
  spec?: string;
  isin?: string;
}

/** A quote record; PETR4 on 2021-03-26 unless told otherwise. */
export function cotahistQuote(q: QuoteFields = {}): string {
  const prices = q.prices ?? [2348, 2388, 2311, 2352, 2346, 2345, 2346];
  return (
    '01' +
    (q.date ?? '20210326') +
    pad(q.bdi ?? '02', 2, false) +
    pad(q.ticker ?? 'PETR4', 12, false) +
    pad(q.market ?? 10, 3, true) +
    pad(q.name ?? 'PETROBRAS', 12, false) +
    pad(q.spec ?? 'PN      N2', 10, false) +
    '   ' +
    'R$  ' +
    prices.map((p) => pad(p, 13, true)).join('') +
    pad(q.trades ?? 64400, 5, true) +
    pad(q.quantity ?? 60918600, 18, true) +
    pad(q.volume ?? 143317769400, 18, true) +
    pad(0, 13, true) +
    '0' +
    (q.expiry ?? '99991231') +
    pad(q.factor ?? 1, 7, true) +
    pad(0, 13, true) +
    pad(q.isin ?? 'BRPETRACNPR6', 12, false) +
    '197'
  );
}

/** Records joined into a file, each line ended by `eol`. */
export const cotahistText = (lines: string[], eol = '\n') => lines.join(eol) + eol;

/** A complete file: header, the quotes, a trailer counting them. */
export const cotahistFile = (quotes: string[], eol = '\n') =>
  cotahistText([cotahistHeader(), ...quotes, cotahistTrailer(quotes.length + 2)], eol);

export interface ZipEntry {
  name: string;
  data: Uint8Array | string;
  /** Deflate (default) or stored. */
  method?: 'deflate' | 'store';
  /** Sizes and CRC after the data (general-purpose bit 3), with the optional signature unless `false`. */
  descriptor?: boolean | { signature: false };
  /** Sizes in a ZIP64 extra field (0xFFFFFFFF in the header). */
  zip64?: boolean;
}

/** A zip archive holding `entries`, written the way common tools write them. */
export function zipOf(entries: ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'latin1') : Buffer.from(entry.data);
    const stored = entry.method === 'store';
    const body = stored ? data : deflateRawSync(data);
    const crc = crc32(data);
    const name = Buffer.from(entry.name, 'latin1');
    const descriptor = Boolean(entry.descriptor);
    const extra = entry.zip64 ? zip64Extra(data.length, body.length) : Buffer.alloc(0);
    const local = localHeader({ name, extra, stored, descriptor, crc, size: data.length, compressed: body.length });
    if (entry.zip64) {
      local.writeUInt32LE(0xffffffff, 18);
      local.writeUInt32LE(0xffffffff, 22);
    }
    const tail = descriptor ? dataDescriptor(entry.descriptor, crc, body.length, data.length) : Buffer.alloc(0);
    const header = Buffer.concat([local, name, extra]);
    central.push(centralHeader(header, offset, { crc, compressed: body.length, size: data.length }), name);
    parts.push(header, body, tail);
    offset += header.length + body.length + tail.length;
  }
  const directory = Buffer.concat(central);
  return Buffer.concat([...parts, directory, endRecord(entries.length, directory.length, offset)]);
}

interface LocalFields {
  name: Buffer;
  extra: Buffer;
  stored: boolean;
  descriptor: boolean;
  crc: number;
  size: number;
  compressed: number;
}

function localHeader(f: LocalFields): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(f.descriptor ? 8 : 0, 6);
  h.writeUInt16LE(f.stored ? 0 : 8, 8);
  if (!f.descriptor) {
    h.writeUInt32LE(f.crc, 14);
    h.writeUInt32LE(f.compressed, 18);
    h.writeUInt32LE(f.size, 22);
  }
  h.writeUInt16LE(f.name.length, 26);
  h.writeUInt16LE(f.extra.length, 28);
  return h;
}

function zip64Extra(size: number, compressed: number): Buffer {
  const extra = Buffer.alloc(20);
  extra.writeUInt16LE(1, 0);
  extra.writeUInt16LE(16, 2);
  extra.writeBigUInt64LE(BigInt(size), 4);
  extra.writeBigUInt64LE(BigInt(compressed), 12);
  return extra;
}

function dataDescriptor(kind: ZipEntry['descriptor'], crc: number, compressed: number, size: number): Buffer {
  const signed = typeof kind !== 'object';
  const d = Buffer.alloc(signed ? 16 : 12);
  let at = 0;
  if (signed) at = d.writeUInt32LE(0x08074b50, 0);
  at = d.writeUInt32LE(crc, at);
  at = d.writeUInt32LE(compressed, at);
  d.writeUInt32LE(size, at);
  return d;
}

/** The central directory's copy of a local header, with the CRC and sizes (no extra field). */
function centralHeader(local: Buffer, offset: number, sums: { crc: number; compressed: number; size: number }): Buffer {
  const c = Buffer.alloc(46);
  c.writeUInt32LE(0x02014b50, 0);
  c.writeUInt16LE(20, 4);
  local.copy(c, 6, 4, 30); // version needed … name length
  c.writeUInt32LE(sums.crc, 16);
  c.writeUInt32LE(Math.min(sums.compressed, 0xffffffff), 20);
  c.writeUInt32LE(Math.min(sums.size, 0xffffffff), 24);
  c.writeUInt16LE(0, 30);
  c.writeUInt32LE(offset, 42);
  return c;
}

function endRecord(entries: number, directorySize: number, directoryOffset: number): Buffer {
  const e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0);
  e.writeUInt16LE(entries, 8);
  e.writeUInt16LE(entries, 10);
  e.writeUInt32LE(directorySize, 12);
  e.writeUInt32LE(directoryOffset, 16);
  return e;
}

/**
 * Zips a (large) text file into `zipPath` as one deflated entry, streaming: the sizes and CRC
 * go in a data descriptor after the data, as streaming zip writers do.
 */
export async function zipFile(textPath: string, zipPath: string, entryName: string): Promise<void> {
  const out = createWriteStream(zipPath);
  const write = async (bytes: Buffer) => {
    if (!out.write(bytes)) await once(out, 'drain');
  };
  const name = Buffer.from(entryName, 'latin1');
  const local = localHeader({
    name,
    extra: Buffer.alloc(0),
    stored: false,
    descriptor: true,
    crc: 0,
    size: 0,
    compressed: 0,
  });
  await write(Buffer.concat([local, name]));
  let crc = 0;
  let size = 0;
  let compressed = 0;
  const deflate = createDeflateRaw({ level: 6 });
  const feeding = (async () => {
    for await (const chunk of createReadStream(textPath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      if (!deflate.write(chunk)) await once(deflate, 'drain');
    }
    deflate.end();
  })();
  for await (const chunk of deflate as AsyncIterable<Buffer>) {
    compressed += chunk.length;
    await write(chunk);
  }
  await feeding;
  const header = Buffer.concat([local, name]);
  const directory = Buffer.concat([centralHeader(header, 0, { crc, compressed, size }), name]);
  await write(dataDescriptor(true, crc, compressed, size));
  await write(directory);
  await write(endRecord(1, directory.length, header.length + compressed + 16));
  out.end();
  await once(out, 'finish');
}
