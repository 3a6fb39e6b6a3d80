import { parseArgs } from 'node:util';
import { UsageError, EXIT, describeError, exitCodeFor } from './exit-codes';
import type { Io } from './io';
import { parseCommand } from './commands/parse';
import { tickerCommand, tickersCommand, ibovCommand } from './commands/fetch';
import { runCommand } from './commands/run';
import { queryCommand, tablesCommand, type QueryFormat } from './commands/query';
import { reprocessCommand } from './commands/reprocess';
import { ASSET_KIND_IDS, isAssetKind, type AssetKind } from '@b3lake/lake';
import type { RunKind } from '@b3lake/pipeline';

/** `--kinds` values: every asset kind, and the IBOV portfolio. */
const RUN_KINDS: readonly RunKind[] = [...ASSET_KIND_IDS, 'ibov'];

export const USAGE = `b3lake — Brazilian market data you can trust (Fundamentus indicators, B3 IBOVESPA portfolio)

Usage:
  b3lake parse FILE [--json]                 Parse a saved page or file offline: a Fundamentus detail or
                                             listing page, a B3 portfolio JSON or an IBOVDia CSV.
  b3lake ticker TICKER [--json]              Fetch and parse one asset's detail page (e.g. PETR4, HGLG11).
  b3lake tickers [--kind ${ASSET_KIND_IDS.join('|')}] [--json]
                                             List every stock (default) or FII with its listing indicators.
  b3lake ibov [--index IBOV] [--json]        Fetch B3's day portfolio of an index (IBOV, IBXX, SMLL, IDIV, IFIX).

  b3lake run [--date YYYY-MM-DD] [--kinds ${RUN_KINDS.join(',')}] [--limit N] [--concurrency N]
             [--data-dir DIR] [--fundamentus-url URL] [--b3-url URL] [--min-interval MS]
                                             The whole daily pipeline into DIR (default ./data):
                                             listings, every detail page, SoR → SoT → Spec, compaction,
                                             IBOV raw → refined, DuckDB catalog. Weekends and B3 holidays
                                             are skipped. Failed tickers go to DIR/dlq/<date>.jsonl.
  b3lake query "SQL" [--format table|csv|json] [--data-dir DIR]
                                             SQL over the lake with Athena's names, e.g.
                                             db_b3lake_spec.tbspec_fundamentus_cotacao_ativos
                                             ("default" must be quoted: "default".tbrefined_b3_carteira_ibov).
  b3lake tables [--data-dir DIR]             Databases, tables, partitions and row counts.
  b3lake reprocess --date YYYY-MM-DD [--data-dir DIR]
                                             Rebuild SoR, SoT and Spec of a day from the archived raw pages \
(no network).

Options:
  --json                     Machine-readable output (for 'parse' and 'ticker' on a detail page:
                             { ticker, kind, layout, raw, values, unknownLabels })
  --fundamentus-url URL      Base URL of Fundamentus or a mirror/replay server
                             (default https://www.fundamentus.com.br)
  --b3-url URL               Base URL of B3's listing services (default https://sistemaswebb3-listados.b3.com.br)
  --timeout MS               Per-request timeout (default 20000)
  --retries N                Attempts per request, the first included (default 4)
  --concurrency N            Tickers and requests in flight (run; default 8)
  --min-interval MS          Minimum time between requests to one host (run; default 250, be polite)
  -h, --help                 Show this help
  -v, --version              Show the version

Values are typed as in columns.md: every percentage is a fraction (36,4% → 0.364), minus
signs are kept, dates are ISO (2022-05-24), '-' is null.

Exit codes:
  0  success
  1  data error: ticker not found or ambiguous, page layout changed, malformed value
  2  usage error
  3  network error: unreachable, kept failing after retries, or blocked (retry later)
  4  a local file could not be read
  5  run/reprocess finished, but some tickers were dead-lettered (DIR/dlq/<date>.jsonl)
`;

export interface CommonOptions {
  json: boolean;
  fundamentusUrl?: string;
  b3Url?: string;
  timeoutMs?: number;
  maxAttempts?: number;
}

const OPTIONS = {
  json: { type: 'boolean', default: false },
  kind: { type: 'string' },
  index: { type: 'string' },
  'fundamentus-url': { type: 'string' },
  'b3-url': { type: 'string' },
  timeout: { type: 'string' },
  retries: { type: 'string' },
  date: { type: 'string' },
  kinds: { type: 'string' },
  limit: { type: 'string' },
  concurrency: { type: 'string' },
  'min-interval': { type: 'string' },
  'data-dir': { type: 'string', default: 'data' },
  format: { type: 'string', default: 'table' },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

/** Runs one b3lake command and returns its exit code; never throws. */
export async function run(argv: string[], io: Io): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    if (values.help || positionals.length === 0) {
      (positionals.length === 0 && !values.help ? io.err : io.out)(USAGE);
      return positionals.length === 0 && !values.help ? EXIT.USAGE : EXIT.OK;
    }
    if (values.version) {
      io.out('b3lake 0.1.0');
      return EXIT.OK;
    }
    const common: CommonOptions = {
      json: values.json,
      fundamentusUrl: values['fundamentus-url'],
      b3Url: values['b3-url'],
      timeoutMs: positiveInt(values.timeout, '--timeout'),
      maxAttempts: positiveInt(values.retries, '--retries'),
    };
    const [command, ...args] = positionals;
    switch (command) {
      case 'parse':
        return await parseCommand(single(args, 'parse FILE'), common, io);
      case 'ticker':
        return await tickerCommand(single(args, 'ticker TICKER'), common, io);
      case 'tickers':
        none(args, 'tickers');
        return await tickersCommand(kindOf(values.kind), common, io);
      case 'ibov':
        none(args, 'ibov');
        return await ibovCommand(values.index ?? 'IBOV', common, io);
      case 'run':
        none(args, 'run');
        return await runCommand(
          {
            ...common,
            date: isoDate(values.date),
            kinds: kindsOf(values.kinds),
            limit: positiveInt(values.limit, '--limit'),
            concurrency: positiveInt(values.concurrency, '--concurrency') ?? 8,
            minIntervalMs: nonNegativeInt(values['min-interval'], '--min-interval'),
            dataDir: values['data-dir'],
          },
          io,
        );
      case 'query':
        return await queryCommand(
          single(args, 'query "SQL"'),
          { ...common, dataDir: values['data-dir'], format: formatOf(values.format) },
          io,
        );
      case 'tables':
        none(args, 'tables');
        return await tablesCommand({ ...common, dataDir: values['data-dir'] }, io);
      case 'reprocess': {
        none(args, 'reprocess');
        const date = isoDate(values.date);
        if (!date) throw new UsageError('reprocess needs --date YYYY-MM-DD');
        return await reprocessCommand(date, { ...common, dataDir: values['data-dir'] }, io);
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    // parseArgs throws Node-internal TypeErrors (another realm under jest): match on the code.
    const isArgsError =
      typeof error === 'object' && error !== null && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
    const message = isArgsError ? new UsageError(String((error as { message?: unknown }).message)) : error;
    io.err(`b3lake: error: ${describeError(message)}`);
    return exitCodeFor(message);
  }
}

function single(args: string[], usage: string): string {
  if (args.length !== 1) throw new UsageError(`expected: b3lake ${usage}`);
  return args[0];
}

function none(args: string[], command: string): void {
  if (args.length) throw new UsageError(`b3lake ${command} takes no arguments, got "${args.join(' ')}"`);
}

/** `--kind`: an asset kind, stocks (the first) by default. */
function kindOf(kind: string | undefined): AssetKind {
  if (kind === undefined) return ASSET_KIND_IDS[0];
  if (isAssetKind(kind)) return kind;
  throw new UsageError(`--kind must be ${ASSET_KIND_IDS.join(' or ')}, got "${kind}"`);
}

function isoDate(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(text) ||
    Number.isNaN(Date.parse(`${text}T00:00:00Z`)) ||
    new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) !== text
  ) {
    throw new UsageError(`--date must be a date YYYY-MM-DD, got "${text}"`);
  }
  return text;
}

function kindsOf(text: string | undefined): RunKind[] {
  if (text === undefined) return [...RUN_KINDS];
  const kinds = text
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  const bad = kinds.filter((k) => !(RUN_KINDS as readonly string[]).includes(k));
  if (bad.length || kinds.length === 0)
    throw new UsageError(
      `--kinds takes ${RUN_KINDS.slice(0, -1).join(', ')} and/or ${RUN_KINDS[RUN_KINDS.length - 1]}, got "${text}"`,
    );
  return kinds as RunKind[];
}

function formatOf(text: string): QueryFormat {
  if (text === 'table' || text === 'csv' || text === 'json') return text;
  throw new UsageError(`--format must be table, csv or json, got "${text}"`);
}

function nonNegativeInt(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`${name} must be a whole number ≥ 0, got "${text}"`);
  return value;
}

function positiveInt(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${name} must be a positive integer, got "${text}"`);
  return value;
}
