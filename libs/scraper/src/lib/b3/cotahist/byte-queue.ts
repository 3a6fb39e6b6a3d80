/**
 * The bytes of a stream, read as a zip reader needs them: a few fixed-size structures taken
 * whole (`need` then `take`), and long runs passed on chunk by chunk (`next`). Only what a
 * caller asked for and did not take yet is held.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  /** Bytes held and not taken yet. */
  get available(): number {
    return this.buffered;
  }

  /** Reads from the source until `n` bytes are held; false when the source ends first. */
  async need(n: number): Promise<boolean> {
    while (this.buffered < n && !this.ended) {
      const next = await this.source.next();
      if (next.done) this.ended = true;
      else if (next.value.length) this.push(next.value);
    }
    return this.buffered >= n;
  }

  /** True when nothing is held and the source has nothing more. */
  async atEnd(): Promise<boolean> {
    return !(await this.need(1));
  }

  /** The next `n` held bytes, without taking them (`need(n)` first). */
  peek(n: number): Buffer {
    if (n > this.buffered) throw new RangeError(`peek(${n}) with ${this.buffered} bytes held`);
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[0];
    if (first.length >= n) return first.subarray(0, n);
    const joined = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [joined];
    return joined.subarray(0, n);
  }

  /** Takes the next `n` held bytes (`need(n)` first). */
  take(n: number): Buffer {
    const bytes = this.peek(n);
    this.drop(n);
    return bytes;
  }

  /** The next bytes, at most `max`: what is held first, else the source's next chunk; undefined at the end. */
  async next(max = Number.POSITIVE_INFINITY): Promise<Buffer | undefined> {
    if (!(await this.need(1))) return undefined;
    const first = this.chunks[0];
    const n = Math.min(first.length, max);
    this.drop(n);
    return first.subarray(0, n);
  }

  /** Puts bytes back in front (a consumer read past the end of what it needed). */
  unshift(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.chunks.unshift(bytes);
    this.buffered += bytes.length;
  }

  /** Lets the source release what it holds (a file handle, a socket) when reading stops early. */
  async close(): Promise<void> {
    this.chunks = [];
    this.buffered = 0;
    await this.source.return?.();
  }

  private push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  private drop(n: number): void {
    this.buffered -= n;
    while (n > 0) {
      const first = this.chunks[0];
      if (first.length <= n) {
        this.chunks.shift();
        n -= first.length;
      } else {
        this.chunks[0] = first.subarray(n);
        n = 0;
      }
    }
  }
}
