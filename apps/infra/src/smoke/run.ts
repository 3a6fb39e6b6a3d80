import { TABLES } from '@b3lake/lake';
import { USAGE, UsageError, parseSmokeArgs } from './args';
import { athenaLabel, countRows } from './athena';
import {
  DEFAULT_INTERVALS,
  createClients,
  stackName,
  type PollIntervals,
  type SmokeClients,
  type SmokeContext,
  type StackOutputs,
} from './context';
import { runRefine } from './glue';
import { explain, reporter } from './output';
import { sendExtractJobs, waitForObjects } from './pipeline';
import { formatDuration, systemClock, type Clock } from './poll';
import { findStack } from './stack';

/** Runs the checks in order and stops at the first failure: 0 when all pass, 1 otherwise. */
export async function runSmoke(ctx: SmokeContext): Promise<number> {
  const { options, out, clock } = ctx;
  let outputs: StackOutputs | undefined;
  const stack = () => {
    if (!outputs) throw new Error('stack outputs are not known');
    return outputs;
  };
  const checks: [string, () => Promise<string>][] = [
    [
      'stack found',
      async () => {
        const found = await findStack(ctx);
        outputs = found.outputs;
        return found.detail;
      },
    ],
    [
      `extract ${options.tickers.length} ticker${options.tickers.length === 1 ? '' : 's'}`,
      () => sendExtractJobs(ctx, stack()),
    ],
    ['objects written', () => waitForObjects(ctx, stack())],
    ...TABLES.map((def): [string, () => Promise<string>] => [
      `athena ${athenaLabel(def, options.stage)}`,
      () => countRows(ctx, stack(), def),
    ]),
    ['glue refine', () => runRefine(ctx, stack())],
  ];
  const start = clock.now();
  const where = `${stackName(options.stage)}${options.region ? ` in ${options.region}` : ''}`;
  out.info(
    `b3lake smoke check: stack ${where}, date ${options.date}, timeout ${formatDuration(options.timeoutMs)} per wait`,
  );
  for (const [name, check] of checks) {
    try {
      out.pass(name, await check());
    } catch (err) {
      const { message, hint } = explain(err);
      out.fail(name, message, hint);
      return 1;
    }
  }
  out.info(`all ${checks.length} checks passed in ${formatDuration(clock.now() - start)}`);
  return 0;
}

export interface CliDeps {
  write?: (line: string) => void;
  writeError?: (line: string) => void;
  now?: Date;
  clients?: (region?: string) => SmokeClients;
  clock?: Clock;
  intervals?: PollIntervals;
}

/** The command line: `--help` → 0, bad options → 2 (message and usage on stderr), else runSmoke. */
export async function cli(argv: readonly string[], deps: CliDeps = {}): Promise<number> {
  const write = deps.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const writeError = deps.writeError ?? ((line: string) => process.stderr.write(`${line}\n`));
  let options;
  try {
    options = parseSmokeArgs(argv, deps.now);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    writeError(`smoke: ${err.message}`);
    writeError('Run with --help for the options.');
    return 2;
  }
  if (options === 'help') {
    write(USAGE.trimEnd());
    return 0;
  }
  const clients = (deps.clients ?? createClients)(options.region);
  return runSmoke({
    options,
    clients,
    clock: deps.clock ?? systemClock,
    intervals: deps.intervals ?? DEFAULT_INTERVALS,
    out: reporter(write),
  });
}
