import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

const WORKSPACE = resolve(__dirname, '../../../..');

// Opens the catalog file read-write and keeps it open, as `b3lake run` does for a whole run.
const HOLD = `
const { DuckDBInstance } = require('@duckdb/node-api');
DuckDBInstance.create(process.argv[1]).then(async (db) => {
  await db.connect();
  process.stdout.write('open\\n');
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
});`;

/** Another process holding `catalogFile` open (and its DuckDB lock) until release(). */
export async function holdCatalog(catalogFile: string): Promise<{ release: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-e', HOLD, catalogFile], {
    cwd: WORKSPACE,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  if (chunk.toString().trim() !== 'open') throw new Error(`catalog holder said ${chunk.toString()}`);
  return {
    release: async () => {
      child.stdin.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}
