import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Locates shared/fixtures/real (recorded pages, not part of this repository): the
 * B3LAKE_REAL_FIXTURES variable, or ../shared/fixtures/real beside the workspace root.
 */
export function realFixturesDir(): string | undefined {
  const fromEnv = process.env['B3LAKE_REAL_FIXTURES'];
  if (fromEnv) return existsSync(fromEnv) ? resolve(fromEnv) : undefined;
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json')) && dirname(dir) !== dir) dir = dirname(dir);
  const candidate = resolve(dir, '..', 'shared', 'fixtures', 'real');
  return existsSync(candidate) ? candidate : undefined;
}

export function listFiles(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => pattern.test(f.split('/').pop() ?? ''))
    .sort();
}

export function read(dir: string, file: string): Buffer {
  return readFileSync(join(dir, file));
}
