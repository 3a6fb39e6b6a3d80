/**
 * Fixed-width ASCII digits as an exact integer, four at a time: a COTAHIST record holds about
 * 190 digits, and reading them one by one was the parser's largest cost. Four bytes are read as
 * one little-endian word, checked to be digits and combined with a few integer operations.
 */

/** "0000" read as a little-endian word. */
const ZEROS = 0x30303030;

/** The digits of bytes[start, end) as a number, or -1 when any byte is not a digit. */
export function readDigits(view: DataView, bytes: Uint8Array, start: number, end: number): number {
  let value = 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const word = view.getInt32(i, true);
    if (word === ZEROS) {
      value *= 10_000; // most words of a price or a volume are leading zeros
      continue;
    }
    // Each byte's high nibble must be 3, and the byte plus 6 must keep it (so the low nibble is 0 to 9).
    if (((word & 0xf0f0f0f0) | (((word + 0x06060606) & 0xf0f0f0f0) >>> 4)) !== 0x33333333) return -1;
    const units = word - 0x30303030; // four values 0-9, the first digit in the low byte
    const pairs = Math.imul(units & 0x00ff00ff, 10) + ((units >>> 8) & 0x00ff00ff); // two values 0-99
    value = value * 10_000 + Math.imul(pairs & 0xffff, 100) + (pairs >>> 16);
  }
  for (; i < end; i++) {
    const digit = bytes[i] - 48;
    if (digit >>> 0 > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
