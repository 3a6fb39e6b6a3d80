/**
 * Streams the one .TXT file of a zip (B3 ships COTAHIST as `COTAHIST_A2021.ZIP` holding
 * `COTAHIST_A2021.TXT`) from a stream read once, front to back: a file, standard input or an
 * HTTP body, so the central directory at the end cannot be read first. Node's zlib inflates
 * (native; it also says exactly where a deflate stream ends, which finds the end of an entry
 * whose sizes follow its data in a data descriptor); the few zip structures are read here.
 * Everything is checked: CRC-32 and sizes, exactly one entry, an archive that ends cleanly.
 */
import type { TransformOptions } from 'node:stream';
import { createInflateRaw, crc32, type InflateRaw, type ZlibOptions } from 'node:zlib';
import type { ByteQueue } from './byte-queue';
import { CotahistZipError } from './zip-error';

const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const END64 = 0x06064b50;
const LOCATOR64 = 0x07064b50;
const STORED = 0;
const DEFLATED = 8;
const FLAG_ENCRYPTED = 0x1;
const FLAG_DESCRIPTOR = 0x8;
const FLAG_UTF8 = 0x800;
const ZIP64_EXTRA = 0x0001;
/** Compressed bytes per write into zlib. */
const CHUNK = 64 * 1024;
/**
 * Inflated bytes per zlib job: each job runs on the thread pool and hands its output back on the
 * main thread, so large jobs keep zlib busy while the main thread types the previous megabyte.
 */
const INFLATED_CHUNK = 1024 * 1024;

/** True when bytes start like a zip (a local file header, or the end record of an empty archive). */
export function isZip(head: Uint8Array): boolean {
  if (head.length < 4 || head[0] !== 0x50 || head[1] !== 0x4b) return false;
  return (head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6);
}

interface LocalEntry {
  name: string;
  method: number;
  /** Sizes and CRC come after the data (general-purpose flag bit 3). */
  descriptor: boolean;
  crc: number;
  compressedSize: number;
  size: number;
}

interface EntryTotals {
  crc: number;
  compressedSize: number;
  size: number;
}

/**
 * The uncompressed bytes of the archive's single .TXT entry, chunk by chunk; `onEntry` hears its
 * name first. The archive's end is read and checked after the last chunk, so an error may come
 * after the data: treat what was read as complete only when the iteration ends normally.
 */
export async function* unzipSingleText(queue: ByteQueue, onEntry?: (name: string) => void): AsyncGenerator<Buffer> {
  const entry = await readLocalHeader(queue);
  onEntry?.(entry.name);
  const totals = entry.method === STORED ? yield* copyStored(queue, entry) : yield* inflate(queue, entry);
  if (entry.descriptor) await readDescriptor(queue, entry, totals);
  else checkTotals(entry, entry, totals);
  await readDirectory(queue);
}

const truncated = (where: string) => new CotahistZipError('truncated', `it ends ${where}`);

async function readLocalHeader(queue: ByteQueue): Promise<LocalEntry> {
  const signature = (await queue.need(4)) ? queue.peek(4).readUInt32LE(0) : undefined;
  if (signature === END) throw new CotahistZipError('entries', 'it holds no file, where a COTAHIST .TXT is expected');
  if (signature !== LOCAL) throw new CotahistZipError('corrupt', 'it does not start with a local file header');
  if (!(await queue.need(30))) throw truncated('inside its first header');
  const header = queue.take(30);
  const flags = header.readUInt16LE(6);
  const method = header.readUInt16LE(8);
  const nameLength = header.readUInt16LE(26);
  const extraLength = header.readUInt16LE(28);
  if (!(await queue.need(nameLength + extraLength))) throw truncated('inside its first header');
  const name = queue.take(nameLength).toString(flags & FLAG_UTF8 ? 'utf8' : 'latin1');
  const extra = queue.take(extraLength);
  if (!/\.txt$/i.test(name)) {
    throw new CotahistZipError('entries', `its first file is "${name}", where a COTAHIST .TXT file is expected`);
  }
  if (flags & FLAG_ENCRYPTED) throw new CotahistZipError('unsupported', `${name} is encrypted`);
  if (method !== STORED && method !== DEFLATED) {
    throw new CotahistZipError('unsupported', `${name} uses compression method ${method}; stored and deflate are read`);
  }
  const descriptor = (flags & FLAG_DESCRIPTOR) !== 0;
  if (method === STORED && descriptor) {
    throw new CotahistZipError(
      'unsupported',
      `${name} is stored with its size after the data: its end cannot be found`,
    );
  }
  const sizes = zip64Sizes(extra) ?? { size: header.readUInt32LE(22), compressedSize: header.readUInt32LE(18) };
  return { name, method, descriptor, crc: header.readUInt32LE(14), ...sizes };
}

/** Sizes past 4 GiB: the ZIP64 extra field of a local header holds both, uncompressed first. */
function zip64Sizes(extra: Buffer): { size: number; compressedSize: number } | undefined {
  for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    if (extra.readUInt16LE(at) === ZIP64_EXTRA && extra.readUInt16LE(at + 2) >= 16) {
      return { size: Number(extra.readBigUInt64LE(at + 4)), compressedSize: Number(extra.readBigUInt64LE(at + 12)) };
    }
  }
  return undefined;
}

async function* copyStored(queue: ByteQueue, entry: LocalEntry): AsyncGenerator<Buffer, EntryTotals> {
  let crc = 0;
  for (let left = entry.compressedSize; left > 0;) {
    const chunk = await queue.next(left);
    if (!chunk) throw truncated(`inside ${entry.name}`);
    crc = crc32(chunk, crc);
    left -= chunk.length;
    yield chunk;
  }
  return { crc, compressedSize: entry.compressedSize, size: entry.compressedSize };
}

async function* inflate(queue: ByteQueue, entry: LocalEntry): AsyncGenerator<Buffer, EntryTotals> {
  // Up to 4 MB of inflated text may wait, so zlib inflates (on the thread pool) while records are typed;
  // zlib passes stream options on to its Transform, though ZlibOptions does not list them.
  const options: ZlibOptions & TransformOptions = {
    chunkSize: INFLATED_CHUNK,
    readableHighWaterMark: 4 * INFLATED_CHUNK,
  };
  const inflater = createInflateRaw(options);
  const state = { sourceEnded: false };
  const feeding = feed(queue, inflater, entry.descriptor ? undefined : entry.compressedSize, state);
  feeding.catch(() => undefined); // its failure reaches the loop below as the inflater's error
  let crc = 0;
  let size = 0;
  let done = false;
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      yield chunk;
    }
    done = true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('Z_')) throw error; // the source's own failure
    if (state.sourceEnded) throw truncated(`inside ${entry.name}`);
    throw new CotahistZipError('corrupt', `${entry.name} does not inflate (${(error as Error).message})`, {
      cause: error,
    });
  } finally {
    if (!done) inflater.destroy();
  }
  await feeding;
  return { crc, compressedSize: inflater.bytesWritten, size };
}

/**
 * Writes compressed bytes into the inflater: `limit` of them, or, when the size is unknown,
 * until the deflate stream ends. Node's zlib stops consuming at the end of the stream
 * (`bytesWritten` then counts what it used), so what it left is put back in the queue.
 */
async function feed(
  queue: ByteQueue,
  inflater: InflateRaw,
  limit: number | undefined,
  state: { sourceEnded: boolean },
): Promise<void> {
  let fed = 0;
  let last: Buffer | undefined;
  try {
    while (limit === undefined || fed < limit) {
      const chunk = await queue.next(limit === undefined ? CHUNK : Math.min(CHUNK, limit - fed));
      if (!chunk) {
        state.sourceEnded = true;
        break;
      }
      await new Promise<void>((resolve, reject) => inflater.write(chunk, (e) => (e ? reject(e) : resolve())));
      fed += chunk.length;
      last = chunk;
      if (limit === undefined && inflater.bytesWritten < fed) break; // the stream ended inside this chunk
    }
  } catch (error) {
    inflater.destroy(error as Error);
    throw error;
  }
  const unused = fed - inflater.bytesWritten;
  if (limit === undefined && last && unused > 0) queue.unshift(last.subarray(last.length - unused));
  inflater.end();
}

function checkTotals(entry: LocalEntry, declared: EntryTotals, read: EntryTotals): void {
  if (declared.crc !== read.crc) {
    throw new CotahistZipError('corrupt', `${entry.name}'s CRC-32 differs from the archive's: its bytes are damaged`);
  }
  if (declared.size !== read.size || declared.compressedSize !== read.compressedSize) {
    throw new CotahistZipError(
      'corrupt',
      `${entry.name} has ${read.size} bytes (${read.compressedSize} compressed) where the archive declares ` +
        `${declared.size} (${declared.compressedSize})`,
    );
  }
}

/** The data descriptor: an optional signature, the CRC, then both sizes in 4 bytes each, or 8 (ZIP64). */
async function readDescriptor(queue: ByteQueue, entry: LocalEntry, read: EntryTotals): Promise<void> {
  if (!(await queue.need(12))) throw truncated(`inside ${entry.name}'s data descriptor`);
  const [first, second] = [queue.peek(8).readUInt32LE(0), queue.peek(8).readUInt32LE(4)];
  // The signature is optional; a CRC equal to it is told apart by the CRC that follows it.
  if (first === DESCRIPTOR && (first !== read.crc || second === read.crc)) queue.take(4);
  if (!(await queue.need(12))) throw truncated(`inside ${entry.name}'s data descriptor`);
  const short = queue.peek(12);
  const crc = short.readUInt32LE(0);
  const fitsShort =
    short.readUInt32LE(4) === read.compressedSize % 2 ** 32 && short.readUInt32LE(8) === read.size % 2 ** 32;
  if (fitsShort || !(await queue.need(20))) {
    queue.take(12);
    checkTotals(entry, { crc, compressedSize: short.readUInt32LE(4), size: short.readUInt32LE(8) }, read);
    return;
  }
  const long = queue.take(20);
  const sizes = { compressedSize: Number(long.readBigUInt64LE(4)), size: Number(long.readBigUInt64LE(12)) };
  checkTotals(entry, { crc, ...sizes }, read);
}

/** After the entry: the central directory, which must list that one file, then the end record and nothing more. */
async function readDirectory(queue: ByteQueue): Promise<void> {
  let files = 0;
  for (;;) {
    if (!(await queue.need(4))) throw truncated('before the end of its central directory');
    const signature = queue.peek(4).readUInt32LE(0);
    if (signature === LOCAL) {
      throw new CotahistZipError('entries', 'it holds more than one file, where one COTAHIST .TXT is expected');
    } else if (signature === CENTRAL) {
      await skipRecord(queue, 46, (h) => h.readUInt16LE(28) + h.readUInt16LE(30) + h.readUInt16LE(32));
      files++;
    } else if (signature === END64) {
      await skipRecord(queue, 12, (h) => Number(h.readBigUInt64LE(4)));
    } else if (signature === LOCATOR64) {
      await skipRecord(queue, 20, () => 0);
    } else if (signature === END) {
      await skipRecord(queue, 22, (h) => h.readUInt16LE(20));
      break;
    } else {
      throw new CotahistZipError('corrupt', 'unexpected bytes where its central directory should be');
    }
  }
  if (files !== 1) {
    throw new CotahistZipError('entries', `its directory lists ${files} files, where one COTAHIST .TXT is expected`);
  }
  if (!(await queue.atEnd())) throw new CotahistZipError('corrupt', 'bytes follow its end record');
}

/** Takes a fixed-size record and the variable part its header announces (names, comments). */
async function skipRecord(queue: ByteQueue, fixed: number, variable: (header: Buffer) => number): Promise<void> {
  if (!(await queue.need(fixed))) throw truncated('inside its central directory');
  const rest = variable(queue.take(fixed));
  if (rest > CHUNK || !(await queue.need(rest))) throw truncated('inside its central directory');
  queue.take(rest);
}
