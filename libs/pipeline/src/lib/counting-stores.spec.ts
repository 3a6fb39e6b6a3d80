import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFsStore, getStream, putFile, putStream } from '@b3lake/lake';
import { countingStores } from './counting-stores';

describe('countingStores', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'b3lake-counting-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts every object written, streamed ones included, and keeps the inner store streaming', async () => {
    const inner = new LocalFsStore(join(dir, 'lake'));
    const { stores, written } = countingStores(() => inner);
    const store = stores('landing');
    expect(store.putFile && store.putStream && store.getStream).toBeTruthy();
    await store.put('a.txt', Buffer.from('a'));
    writeFileSync(join(dir, 'b.txt'), 'bb');
    await putFile(store, 'b.txt', join(dir, 'b.txt'));
    async function* chunks() {
      yield Buffer.from('c');
      yield Buffer.from('cc');
    }
    await putStream(store, 'c.txt', chunks());
    expect(written()).toBe(3);
    const read: Buffer[] = [];
    for await (const chunk of getStream(store, 'c.txt')) read.push(Buffer.from(chunk));
    expect(Buffer.concat(read).toString()).toBe('ccc');
    expect(stores('landing')).toBe(store);
  });
});
