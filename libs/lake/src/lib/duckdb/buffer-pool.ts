/** Buffers kept per size at most: more than the batches in flight ever need. */
const KEEP = 64;

/**
 * ArrayBuffers by size. The worker hands each buffer back once DuckDB has copied it, so the same
 * few circulate between the threads instead of a year's worth of garbage (which, collected late,
 * cost some 90 MB of peak memory).
 */
export class BufferPool {
  private readonly free = new Map<number, ArrayBuffer[]>();

  take(bytes: number): ArrayBuffer {
    return this.free.get(bytes)?.pop() ?? new ArrayBuffer(bytes);
  }

  give(buffers: readonly ArrayBuffer[]): void {
    for (const buffer of buffers) {
      if (buffer.byteLength === 0) continue; // detached
      let list = this.free.get(buffer.byteLength);
      if (!list) this.free.set(buffer.byteLength, (list = []));
      if (list.length < KEEP) list.push(buffer);
    }
  }
}
