import { ScraperError } from '../../errors';
import {
  CotahistFormatError,
  parseHeader,
  parseQuote,
  parseTrailer,
  recordType,
  type CotahistHeader,
  type CotahistQuote,
  type CotahistTrailer,
} from './record';

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

type Chunks = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/**
 * Streams the quotes of a COTAHIST text (annual, monthly or daily; LF or CRLF), chunk by chunk,
 * without holding the file: one line at a time is decoded (latin-1) and typed. The header must
 * come first and the trailer last, with a record count equal to the records read; anything else
 * is a typed error naming the line. `header` and `trailer` are set as they are read.
 */
export class CotahistReader implements AsyncIterable<CotahistQuote> {
  header?: CotahistHeader;
  trailer?: CotahistTrailer;
  /** Records read so far, header and trailer included (the trailer's TOTREG counts the same way). */
  records = 0;

  constructor(private readonly source: Chunks) {}

  async *[Symbol.asyncIterator](): AsyncIterator<CotahistQuote> {
    let rest = '';
    for await (const chunk of this.source) {
      const text =
        rest +
        (typeof chunk === 'string'
          ? chunk
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1'));
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const quote = this.take(line);
        if (quote) yield quote;
      }
    }
    const quote = this.take(rest);
    if (quote) yield quote;
    if (!this.trailer) throw new CotahistIncompleteError(this.records, null);
    if (this.trailer.totalRecords !== this.records)
      throw new CotahistIncompleteError(this.records, this.trailer.totalRecords);
  }

  private take(raw: string): CotahistQuote | undefined {
    const record = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (record === '') return undefined;
    const line = ++this.records;
    if (this.trailer) throw new CotahistFormatError(line, 'TIPREG', 'a record follows the trailer (99)');
    if (line === 1) {
      this.header = parseHeader(record, line);
      return undefined;
    }
    const type = recordType(record);
    if (type === '01') return parseQuote(record, line);
    if (type === '99') {
      this.trailer = parseTrailer(record, line);
      return undefined;
    }
    throw new CotahistFormatError(line, 'TIPREG', `record type "${type}" is not 00, 01 or 99`);
  }
}

/** Every quote of a small COTAHIST text at once (a daily file); use CotahistReader to stream a year. */
export async function parseCotahist(
  body: Uint8Array | string,
): Promise<{ header: CotahistHeader; quotes: CotahistQuote[]; trailer: CotahistTrailer }> {
  const reader = new CotahistReader([body]);
  const quotes: CotahistQuote[] = [];
  for await (const quote of reader) quotes.push(quote);
  const { header, trailer } = reader;
  if (!header || !trailer) throw new CotahistIncompleteError(reader.records, null);
  return { header, quotes, trailer };
}
