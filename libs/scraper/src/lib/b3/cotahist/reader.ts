import { ScraperError } from '../../errors';
import { ByteQueue } from './byte-queue';
import { RECORD_LENGTH } from './layout';
import {
  CotahistFormatError,
  CotahistRecordDecoder,
  type CotahistHeader,
  type CotahistQuote,
  type CotahistTrailer,
} from './record';
import { latin1 } from './text-cache';
import { isZip, unzipSingleText } from './zip';

/** The trailer's record count differs from the records read, or the trailer is missing: the file is incomplete. */
export class CotahistIncompleteError extends ScraperError {
  readonly code = 'COTAHIST_INCOMPLETE';
  constructor(
    readonly recordsRead: number,
    readonly recordsDeclared: number | null,
  ) {
    super(
      recordsDeclared === null
        ? `COTAHIST file ended after ${recordsRead} records without its trailer (99): it is truncated.`
        : `COTAHIST trailer declares ${recordsDeclared} records but the file has ${recordsRead}: ` +
            'it is truncated or damaged.',
    );
  }
}

/**
 * What a CotahistReader reads: a Node Readable (a file, standard input), a fetch body, or any
 * iterable of byte chunks. String chunks are taken as latin-1, the files' encoding.
 */
export type CotahistSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** How the source held the text: as is, or as the one .TXT file of a zip. */
export type CotahistContainer = 'text' | 'zip';

/** A run this long without a line break is not COTAHIST: fail before holding more of it. */
const MAX_LINE = 4 * RECORD_LENGTH;
/** A local copy: read per record, and an import may be a getter once transpiled to CommonJS. */
const RECORD_LENGTH_LOCAL = RECORD_LENGTH;
const LF = 10;
const CR = 13;

/**
 * Streams the quotes of a COTAHIST file (annual, monthly or daily; LF or CRLF), plain text or
 * zipped (told by its first bytes, `PK\x03\x04`), holding a chunk at a time: memory stays flat
 * whatever the file's size. The header must come first and the trailer last, with a record
 * count equal to the records read; any malformed record is a CotahistFormatError naming its line
 * and field, a damaged or truncated zip a CotahistZipError. Errors surface from the iteration,
 * some only at its end: the quotes are complete only when it ends normally.
 *
 * `for await (const quote of reader)` is the simple way; `batches()` yields arrays (one per
 * chunk read) and is faster for millions of records. A reader reads its source once.
 */
export class CotahistReader implements AsyncIterable<CotahistQuote> {
  /** Record 00, set once read. */
  header?: CotahistHeader;
  /** Record 99, set once read. */
  trailer?: CotahistTrailer;
  /** Records read so far, header and trailer included (the trailer's count counts the same way). */
  records = 0;
  /** Known once the first bytes are read. */
  container?: CotahistContainer;
  /** The zip's .TXT file name. */
  entryName?: string;
  /** Bytes taken from the source so far (compressed ones for a zip): progress against a file's size. */
  sourceBytes = 0;
  /** Text bytes read so far (uncompressed). */
  textBytes = 0;

  private lines = 0;
  private started = false;
  private readonly decoder = new CotahistRecordDecoder();
  /** Where `quoteRecords()` collects the records of the chunk being read. */
  private keptRecords?: Uint8Array[];
  /** False when `quoteRecords({ checkFields: false })` leaves the fields to its consumer. */
  private typeQuotes = true;

  constructor(private readonly source: CotahistSource) {}

  /** One quote at a time (an iterator over `batches()`: a generator's `yield*` costs more per record). */
  [Symbol.asyncIterator](): AsyncIterator<CotahistQuote> {
    const batches = this.batches();
    let batch: CotahistQuote[] = [];
    let next = 0;
    return {
      next: async (): Promise<IteratorResult<CotahistQuote>> => {
        while (next >= batch.length) {
          const read = await batches.next();
          if (read.done) return { done: true, value: undefined };
          batch = read.value;
          next = 0;
        }
        return { done: false, value: batch[next++] };
      },
      return: async (): Promise<IteratorResult<CotahistQuote>> => {
        await batches.return(undefined);
        return { done: true, value: undefined };
      },
    };
  }

  /**
   * The quote records (01) themselves, checked exactly as `batches()` types them, as 245-byte views
   * without line breaks, one array per chunk of text read: for writers that copy fields by position
   * rather than build objects. A view is valid until the next array is asked for (its chunk's
   * memory may then be reused); copy what you keep.
   *
   * With `checkFields: false` only the framing is checked (record length, record types, header,
   * trailer count): for a consumer that checks every field itself while copying it (the lake's
   * fixed-width writers do, naming the record), which saves typing each record twice.
   */
  async *quoteRecords(options: { checkFields?: boolean } = {}): AsyncGenerator<Uint8Array[]> {
    const records: Uint8Array[] = [];
    this.keptRecords = records;
    this.typeQuotes = options.checkFields ?? true;
    for await (const batch of this.batches()) {
      if (!records.length) continue;
      void batch;
      yield records.splice(0);
    }
  }

  /** The quotes in arrays, one per chunk of text read (a few hundred each). */
  async *batches(): AsyncGenerator<CotahistQuote[]> {
    if (this.started) throw new Error('A CotahistReader reads its source once; create another one to read again.');
    this.started = true;
    const queue = new ByteQueue(this.chunks());
    try {
      const zipped = (await queue.need(4)) && isZip(queue.peek(4));
      this.container = zipped ? 'zip' : 'text';
      const text = zipped ? unzipSingleText(queue, (name) => (this.entryName = name)) : rest(queue);
      let carry: Buffer | undefined;
      for await (const chunk of text) {
        this.textBytes += chunk.length;
        const quotes: CotahistQuote[] = [];
        let start = 0;
        if (carry) {
          const lf = chunk.indexOf(LF);
          carry = Buffer.concat([carry, lf < 0 ? chunk : chunk.subarray(0, lf)]);
          if (lf < 0) {
            this.checkCarry(carry);
            continue;
          }
          this.take(carry, 0, carry.length, quotes);
          carry = undefined;
          start = lf + 1;
        }
        for (let lf = nextLineEnd(chunk, start); lf >= 0; lf = nextLineEnd(chunk, start)) {
          this.take(chunk, start, lf, quotes);
          start = lf + 1;
        }
        // A copy: a source may reuse the chunk's memory for its next one.
        if (start < chunk.length) carry = this.checkCarry(Buffer.from(chunk.subarray(start)));
        if (quotes.length) yield quotes;
      }
      const last: CotahistQuote[] = [];
      if (carry) this.take(carry, 0, carry.length, last);
      if (last.length) yield last;
      if (!this.trailer) throw new CotahistIncompleteError(this.records, null);
      if (this.trailer.totalRecords !== this.records) {
        throw new CotahistIncompleteError(this.records, this.trailer.totalRecords);
      }
    } finally {
      await queue.close();
    }
  }

  /** Types the record in bytes[start, end) (its line break excluded); quotes go to `out`. */
  private take(bytes: Buffer, start: number, end: number, out: CotahistQuote[]): void {
    const stop = end > start && bytes[end - 1] === CR ? end - 1 : end;
    const line = ++this.lines;
    if (this.trailer) {
      if (stop === start) return; // an empty last line is no record
      throw new CotahistFormatError(line, 'TIPREG', 'a record follows the trailer (99)');
    }
    this.decoder.checkLength(stop - start, line);
    this.records++;
    if (line === 1) {
      this.header = this.decoder.header(bytes, start, line);
      return;
    }
    const type = this.decoder.type(bytes, start);
    if (type === 1) {
      if (this.typeQuotes) out.push(this.decoder.quote(bytes, start, line));
      else out.push(UNTYPED);
      this.keptRecords?.push(bytes.subarray(start, stop));
    } else if (type === 99) this.trailer = this.decoder.trailer(bytes, start, line);
    else {
      const text = latin1(bytes, start, start + 2);
      throw new CotahistFormatError(line, 'TIPREG', `record type "${text}" is not 00, 01 or 99`);
    }
  }

  private checkCarry(carry: Buffer): Buffer {
    if (carry.length > MAX_LINE) {
      throw new CotahistFormatError(this.lines + 1, '', `no line break within ${MAX_LINE} characters`);
    }
    return carry;
  }

  /** The source's chunks as Buffers (no copy), counted. */
  private async *chunks(): AsyncGenerator<Buffer> {
    for await (const chunk of this.source) {
      const bytes =
        typeof chunk === 'string'
          ? Buffer.from(chunk, 'latin1')
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      this.sourceBytes += bytes.length;
      yield bytes;
    }
  }
}

/** Stands for a quote left untyped (quoteRecords without field checks): batches keep their length. */
const UNTYPED = {} as CotahistQuote;

/**
 * The index of the line feed ending the line that starts at `start`, -1 if the chunk ends first.
 * Records have a fixed length, so the line feed is looked for where it should be before being
 * searched for: a native search per record costs more than typing the record.
 */
function nextLineEnd(chunk: Buffer, start: number): number {
  const expected = start + RECORD_LENGTH_LOCAL;
  if (chunk[expected] === LF) return expected;
  if (chunk[expected] === CR && chunk[expected + 1] === LF) return expected + 1;
  return chunk.indexOf(LF, start);
}

/** What is left in the queue, chunk by chunk. */
async function* rest(queue: ByteQueue): AsyncGenerator<Buffer> {
  for (let chunk = await queue.next(); chunk; chunk = await queue.next()) yield chunk;
}

const TEXT_START = Buffer.from('00COTAHIST', 'latin1');

/**
 * True when bytes start like a COTAHIST file: its header (`00COTAHIST`) or a zip, which the
 * reader then opens (sniff the first bytes of a stream before choosing a parser).
 */
export function isCotahist(head: Uint8Array): boolean {
  if (isZip(head)) return true;
  const start = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, TEXT_START.length));
  return start.equals(TEXT_START);
}

/**
 * Every quote of a small COTAHIST file at once (a daily file, text or zip); use CotahistReader
 * to stream a year.
 */
export async function parseCotahist(
  body: Uint8Array | string,
): Promise<{ header: CotahistHeader; quotes: CotahistQuote[]; trailer: CotahistTrailer }> {
  const reader = new CotahistReader([body]);
  const quotes: CotahistQuote[] = [];
  for await (const batch of reader.batches()) for (const quote of batch) quotes.push(quote);
  const { header, trailer } = reader;
  if (!header || !trailer) throw new CotahistIncompleteError(reader.records, null);
  return { header, quotes, trailer };
}
