/**
 * Right-trimmed latin-1 text of one fixed-width field, read from bytes without decoding a
 * string per record: a year repeats the same tickers, names and ISINs hundreds of times, so the
 * field's bytes, packed four to an integer, find the string made the last time, and only a new
 * value is decoded. Two ways per bucket, so two values that collide do not evict each other on
 * every record; the table has a fixed size, so memory stays flat.
 */
export class TextCache {
  private readonly words: number;
  /** Packed bytes of each way's value: `words` integers per way. */
  private readonly keys: Int32Array;
  private readonly strings: (string | undefined)[];
  /** Per bucket, the way to replace next (the one not used last). */
  private readonly victim: Uint8Array;
  private readonly mask: number;
  /** The words of the last field read. */
  private readonly packed: Int32Array;
  /** The last field's text: consecutive records often repeat it (a file is sorted by company name). */
  private last: string | undefined;

  /**
   * `width`: the field's characters; `bits`: log2 of the buckets, about as many as the values that
   * repeat; `refuse`: throws for a value holding a control character (a line break inside a record
   * would otherwise pass as text), checked once per new value.
   */
  constructor(
    private readonly width: number,
    bits: number,
    private readonly refuse: (bytes: Uint8Array, start: number, end: number) => never = () => {
      throw new Error('control character in a text field');
    },
  ) {
    this.words = Math.ceil(width / 4);
    this.keys = new Int32Array((2 << bits) * this.words);
    this.strings = new Array<string | undefined>(2 << bits).fill(undefined);
    this.victim = new Uint8Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.packed = new Int32Array(this.words);
  }

  /** The text of the field starting at `start`, without trailing spaces (`view`: a DataView over `bytes`). */
  read(view: DataView, bytes: Uint8Array, start: number): string {
    const { width, packed } = this;
    const end = start + width;
    let hash = 0x811c9dc5;
    let same = true;
    let w = 0;
    let i = start;
    for (; i + 4 <= end; i += 4, w++) {
      const word = view.getInt32(i, true);
      if (word !== packed[w]) {
        packed[w] = word;
        same = false;
      }
      hash = Math.imul(hash ^ word, 0x01000193);
    }
    if (i < end) {
      let word = 0;
      for (let shift = 0; i < end; i++, shift += 8) word |= bytes[i] << shift;
      if (word !== packed[w]) {
        packed[w] = word;
        same = false;
      }
      hash = Math.imul(hash ^ word, 0x01000193);
    }
    if (same && this.last !== undefined) return this.last;
    this.last = this.lookUp(bytes, start, end, hash);
    return this.last;
  }

  /** The text of the words just packed, from the table or decoded. */
  private lookUp(bytes: Uint8Array, start: number, end: number, hash: number): string {
    const { words, packed } = this;
    const bucket = (hash ^ (hash >>> 15)) & this.mask;
    const first = bucket * 2;
    if (this.holds(first)) {
      this.victim[bucket] = 1;
      return this.strings[first] as string;
    }
    if (this.holds(first + 1)) {
      this.victim[bucket] = 0;
      return this.strings[first + 1] as string;
    }
    let stop = end;
    while (stop > start && bytes[stop - 1] === 32) stop--;
    for (let i = start; i < stop; i++) if (bytes[i] < 32 || bytes[i] === 127) this.refuse(bytes, start, end);
    const text = latin1(bytes, start, stop);
    const way = first + this.victim[bucket];
    this.keys.set(packed, way * words);
    this.strings[way] = text;
    this.victim[bucket] ^= 1;
    return text;
  }

  /** True when `way` holds the value just packed. */
  private holds(way: number): boolean {
    if (this.strings[way] === undefined) return false;
    const { words, keys, packed } = this;
    for (let w = 0, k = way * words; w < words; w++, k++) if (keys[k] !== packed[w]) return false;
    return true;
  }
}

/** Latin-1 decoding: each byte is the code point of its character. */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}
