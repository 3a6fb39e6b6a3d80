import { run } from '../cli';
import type { Io } from '../io';

/** Runs the real b3lake command in-process, capturing what it prints. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false };
  const code = await run(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
