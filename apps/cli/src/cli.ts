import { Command, CommanderError } from '@commander-js/extra-typings';
import { EXIT, UsageError, describeError, exitCodeFor } from './exit-codes';
import type { Io } from './io';
import { parseCommand } from './commands/parse';
import { ibovCommand, tickerCommand, tickersCommand } from './commands/fetch';
import { runCommand } from './commands/run';
import { queryCommand, tablesCommand } from './commands/query';
import { reprocessCommand } from './commands/reprocess';
import { backfillCommand } from './commands/backfill';
import { statusCommand } from './commands/status';
import { describeCommand } from './commands/describe';
import { partitionsCommand } from './commands/partitions';
import { VERSION } from './version';

/** What every command gets: where to write, and where to put its exit code. */
export interface CliContext {
  io: Io;
  exitCode: number;
}

const AFTER_HELP = `
Values are typed (\`b3lake describe <table>\` prints each column's type and unit): every
percentage is a fraction (36,4% → 0.364), minus signs are kept, dates are ISO (2022-05-24),
'-' is null.

Exit codes:
  0    success
  1    data error: ticker not found or ambiguous, page layout changed, malformed value
  2    usage error (wrong command, option or value)
  3    network error: unreachable, kept failing after retries, or blocked (retry later)
  4    local file or lake error: missing, unreadable or unwritable path, no lake at DIR
  5    run/reprocess finished, but some tickers were dead-lettered (DIR/dlq/<date>.jsonl);
       backfill finished, but some files failed
  130  interrupted (Ctrl-C); the same 'npx b3lake run' (or backfill) resumes where it stopped

Run 'npx b3lake help COMMAND' for a command's options.`;

/** The b3lake program: one commander Command per subcommand, each with its own options and help. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('b3lake')
    .description(
      'b3lake — Brazilian market data you can trust (Fundamentus indicators, B3 IBOVESPA portfolio, ' +
        "B3's price history)",
    )
    .version(`b3lake ${VERSION}`, '-v, --version', 'show the version')
    .helpOption('-h, --help', 'show help')
    .addHelpText('after', AFTER_HELP)
    .showSuggestionAfterError(true);
  for (const make of [
    parseCommand,
    tickerCommand,
    tickersCommand,
    ibovCommand,
    runCommand,
    statusCommand,
    queryCommand,
    tablesCommand,
    describeCommand,
    partitionsCommand,
    reprocessCommand,
    backfillCommand,
  ]) {
    program.addCommand(make(ctx) as unknown as Command);
  }
  applyOutput(program, ctx.io);
  return program;
}

/** Every command writes through `io` and throws instead of exiting, so `run` decides the exit code. */
function applyOutput(command: Command, io: Io, root: Command = command): void {
  command.exitOverride();
  command.configureHelp({ helpWidth: 100, sortSubcommands: false, showGlobalOptions: false });
  command.configureOutput({
    writeOut: (text) => io.out(text.replace(/\n$/, '')),
    writeErr: (text) => io.err(text.replace(/\n$/, '')),
    // A spelling suggestion is noise when the option belongs to another command (run() says which).
    outputError: (text, write) => {
      // (kept when it only completes the flag: --kind → --kinds).
      const flag = /unknown option '([^'=]+)/.exec(text)?.[1];
      const suggested = /Did you mean (--[\w-]+)/.exec(text)?.[1];
      const owned = flag !== undefined && commandsWithOption(root, flag).length > 0;
      const completes = suggested !== undefined && flag !== undefined && suggested.startsWith(flag);
      write(`b3lake: ${owned && !completes ? text.replace(/\n\(Did you mean [^)]*\)/, '') : text}`);
    },
  });
  for (const sub of command.commands) applyOutput(sub as Command, io, root);
}

/** The command that defines an option, for "--format is an option of query" hints. */
function commandsWithOption(program: Command, flag: string): string[] {
  return program.commands
    .filter((c) => c.options.some((o) => o.long === flag || o.short === flag))
    .map((c) => c.name());
}

/** Runs one b3lake command and returns its exit code; never throws. */
export async function run(argv: string[], io: Io): Promise<number> {
  const ctx: CliContext = { io, exitCode: EXIT.OK };
  const program = buildProgram(ctx);
  try {
    if (argv.length === 0) {
      io.err(program.helpInformation());
      return EXIT.USAGE;
    }
    if (argv[0] === 'help' && argv[1] && !program.commands.some((c) => c.name() === argv[1])) {
      throw new UsageError(`unknown command '${argv[1]}'`);
    }
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version asked for exit 0; help shown because a command is missing exits 2.
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code))
        return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
      if (error.code === 'commander.unknownOption') {
        const flag = /'([^']+)'/.exec(error.message)?.[1]?.split('=')[0];
        const owners = flag ? commandsWithOption(program, flag) : [];
        if (owners.length)
          io.err(`b3lake: ${flag} is an option of ${owners.join(', ')}; see 'npx b3lake help COMMAND'`);
      }
      return EXIT.USAGE;
    }
    io.err(`b3lake: error: ${describeError(error)}`);
    return exitCodeFor(error);
  }
}
