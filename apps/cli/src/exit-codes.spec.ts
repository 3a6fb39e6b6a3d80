import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './cli';
import { EXIT, describeError, exitCodeFor } from './exit-codes';
import type { Io } from './io';

/** The error a real system call throws. */
function failing(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** An error as Node reports a failed system call we cannot provoke as root (EACCES, ENOSPC, EROFS). */
const systemError = (code: string, path: string) =>
  Object.assign(new Error(`${code}: failed, open '${path}'`), { code, syscall: 'open', path });

describe('local I/O errors: exit 4 and one line naming the path and what to do', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'b3lake-io-'));
    writeFileSync(join(dir, 'file'), 'x');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['a file in the way of a folder', () => mkdirSync(join(dir, 'file', 'sub')), /a file is in the way of a folder/],
    ['a folder where a file is read', () => readFileSync(join(dir, 'file', '..')), /is a folder; give a file/],
    ['a missing file', () => readFileSync(join(dir, 'none')), /file not found: .*none/],
    ['a path that exists', () => mkdirSync(join(dir, 'file')), /already exists and is in the way/],
  ])('%s', (_name, call, message) => {
    const error = failing(call);
    expect(exitCodeFor(error)).toBe(EXIT.IO);
    expect(describeError(error)).toMatch(message);
    // Node names the path for every call but read(2) of a folder, which only the caller knows.
    if (!String(message).includes('folder; give')) expect(describeError(error)).toContain(dir);
  });

  it.each([
    ['EACCES', /permission denied: \/lake\/x; check its owner and mode/],
    ['EROFS', /read-only file system; choose a writable --data-dir/],
    ['ENOSPC', /no space left writing \/lake\/x; free some space/],
    ['EBUSY', /EBUSY on \/lake\/x \(open\); check the path/],
  ])('%s, also when wrapped as the cause of another error', (code, message) => {
    const wrapped = new Error('could not write the catalog', { cause: systemError(code, '/lake/x') });
    expect(exitCodeFor(wrapped)).toBe(EXIT.IO);
    expect(describeError(wrapped)).toMatch(message);
  });

  it('through the real command: a path under a file exits 4 with one line', async () => {
    const err: string[] = [];
    const io: Io = { out: () => undefined, err: (t) => err.push(t), isTty: false };
    const code = await run(['parse', join(dir, 'file', 'page.html')], io);
    expect(code).toBe(EXIT.IO);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^b3lake: error: a file is in the way of a folder in .*file\/page\.html/);
  });

  it('a network error is not a local path error (connect, getaddrinfo)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8099'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
    });
    const wrapped = new Error('fetch failed', { cause: refused });
    expect(exitCodeFor(wrapped)).not.toBe(EXIT.IO);
    expect(describeError(wrapped)).not.toMatch(/path/);
  });

  it('reprocess of a day this lake never fetched exits 4 and creates nothing', async () => {
    const err: string[] = [];
    const io: Io = { out: () => undefined, err: (t) => err.push(t), isTty: false };
    const lake = join(dir, 'empty-lake');
    const code = await run(['reprocess', '--date', '2022-05-24', '--data-dir', lake], io);
    expect(code).toBe(EXIT.IO);
    expect(err.join('\n')).toMatch(/no archived pages of 2022-05-24 under .*empty-lake/);
    expect(existsSync(lake)).toBe(false);
  });
});
