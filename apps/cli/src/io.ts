/** Where a command writes; tests pass buffers, main.ts passes the process streams. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when stdout is a terminal (progress and colour are for people, not pipes). */
  isTty: boolean;
  /** What `parse -` reads; process.stdin when absent (tests pass their own). */
  stdin?: AsyncIterable<Uint8Array | string> & { isTTY?: boolean };
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  isTty: Boolean(process.stdout.isTTY),
};
