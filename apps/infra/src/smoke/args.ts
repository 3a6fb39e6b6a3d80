import { parseArgs } from 'node:util';

export type AssetKind = 'acoes' | 'fiis';

export interface SmokeTicker {
  ticker: string;
  kind: AssetKind;
}

export interface SmokeOptions {
  /** Deployment stage: the stack is `b3lake-<stage>`. */
  stage: string;
  /** AWS region; undefined = the SDK's default chain (AWS_REGION, profile). */
  region?: string;
  tickers: SmokeTicker[];
  /** Business date, YYYY-MM-DD. */
  date: string;
  /** anomesdia_exec of that date, yyyymmdd. */
  anomesdia: number;
  /** How long each polling check (objects, each Athena query, the Glue run) may wait. */
  timeoutMs: number;
}

/** A command line we cannot run: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const DEFAULT_TICKERS: readonly SmokeTicker[] = [
  { ticker: 'PETR4', kind: 'acoes' },
  { ticker: 'VALE3', kind: 'acoes' },
  { ticker: 'HGLG11', kind: 'fiis' },
];

export const USAGE = `Usage: nx run infra:smoke -- [options]

Post-deploy smoke check of the b3lake-<stage> stack: stack outputs, extract of a few tickers
through SQS → SoR → SoT → Spec, a count(*) of every table in Athena, and one IBOV refine run
of the Glue job. Stops at the first failed check (exit 1); exit 2 on a bad command line.

Options:
  --stage <name>           deployment stage (default: dev)
  --region <region>        AWS region (default: AWS_REGION / your profile)
  --tickers <list>         TICKER:kind,… with kind acoes or fiis
                           (default: PETR4:acoes,VALE3:acoes,HGLG11:fiis; the kind may be
                           left out for those three)
  --date <YYYY-MM-DD>      business date of the extract (default: today in America/Sao_Paulo)
  --timeout-minutes <n>    how long each waiting check may take (default: 15)
  --help                   print this help
`;

/** Today's date in America/Sao_Paulo, YYYY-MM-DD. */
export function saoPauloDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo' }).format(now);
}

/** `--help` → 'help'; otherwise the options, or a UsageError. */
export function parseSmokeArgs(argv: readonly string[], now: Date = new Date()): SmokeOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        stage: { type: 'string', default: 'dev' },
        region: { type: 'string' },
        tickers: { type: 'string' },
        date: { type: 'string' },
        'timeout-minutes': { type: 'string', default: '15' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    // parseArgs throws TypeError [ERR_PARSE_ARGS_*]; read `message` without instanceof (realms differ under jest).
    const message = (err as { message?: unknown } | null)?.message;
    throw new UsageError(typeof message === 'string' ? message : String(err));
  }
  if (values['help']) return 'help';
  const str = (name: string) => values[name] as string | undefined;

  const stage = str('stage') ?? 'dev';
  if (!/^[a-z][a-z0-9]{0,15}$/.test(stage))
    throw new UsageError(`--stage must be lower-case letters and digits (max 16), got "${stage}"`);
  const region = str('region');
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new UsageError(`--region looks wrong: "${region}" (e.g. sa-east-1)`);
  const date = str('date') ?? saoPauloDate(now);
  if (!isCalendarDate(date)) throw new UsageError(`--date must be a date as YYYY-MM-DD, got "${date}"`);
  const minutes = Number(str('timeout-minutes'));
  if (!Number.isFinite(minutes) || minutes <= 0)
    throw new UsageError(`--timeout-minutes must be a positive number, got "${str('timeout-minutes')}"`);
  const list = str('tickers');
  const tickers = list === undefined ? [...DEFAULT_TICKERS] : parseTickers(list);
  return {
    stage,
    region,
    tickers,
    date,
    anomesdia: Number(date.replaceAll('-', '')),
    timeoutMs: Math.round(minutes * 60_000),
  };
}

/** `PETR4:acoes,HGLG11:fiis`; a bare ticker only when it is one of the defaults. */
export function parseTickers(list: string): SmokeTicker[] {
  const out: SmokeTicker[] = [];
  for (const item of list.split(',').map((s) => s.trim())) {
    if (!item) throw new UsageError(`--tickers has an empty entry: "${list}"`);
    const [name, kind, ...rest] = item.split(':');
    const ticker = name.trim().toUpperCase();
    if (rest.length || !/^[A-Z0-9]{4,12}$/.test(ticker))
      throw new UsageError(`--tickers: "${item}" is not TICKER or TICKER:kind`);
    const known = DEFAULT_TICKERS.find((t) => t.ticker === ticker)?.kind;
    const resolved = kind === undefined ? known : kind.trim().toLowerCase();
    if (resolved === undefined)
      throw new UsageError(
        `--tickers: give the kind of ${ticker}: ${ticker}:acoes or ${ticker}:fiis ` +
          '(a ticker ending in 11 is not always a FII)',
      );
    if (resolved !== 'acoes' && resolved !== 'fiis')
      throw new UsageError(`--tickers: kind of ${ticker} must be acoes or fiis, got "${kind}"`);
    if (out.some((t) => t.ticker === ticker)) throw new UsageError(`--tickers: ${ticker} is listed twice`);
    out.push({ ticker, kind: resolved });
  }
  return out;
}

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}
