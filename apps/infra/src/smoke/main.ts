/**
 * Post-deploy smoke check of a b3lake stack (see USAGE in ./args):
 *   npx tsx --tsconfig tsconfig.base.json apps/infra/src/smoke/main.ts --stage dev [--region R]
 */
import { cli } from './run';

cli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`smoke: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
