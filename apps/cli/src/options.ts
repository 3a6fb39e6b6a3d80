import { InvalidArgumentError, type Command, type OptionValues } from '@commander-js/extra-typings';
import { ASSET_KIND_IDS, isAssetKind, type AssetKind } from '@b3lake/lake';
import type { RunKind } from '@b3lake/pipeline';
import { COTAHIST_URL, isTicker } from '@b3lake/scraper';

/**
 * `--kinds` values: every asset kind, the IBOV portfolio, the day's COTAHIST file, and every
 * listed ticker's dividend page (weekly by default: see defaultRunKinds in @b3lake/pipeline).
 */
export const RUN_KINDS: readonly RunKind[] = [...ASSET_KIND_IDS, 'ibov', 'cotahist', 'proventos'];

/** The lake's folder when `--data-dir` is not given. */
export const DEFAULT_DATA_DIR = 'data';

export function positiveInt(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError('must be a positive integer.');
  return value;
}

export function nonNegativeInt(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError('must be a whole number ≥ 0.');
  return value;
}

export function isoDate(text: string): string {
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(text) ||
    Number.isNaN(Date.parse(`${text}T00:00:00Z`)) ||
    new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) !== text
  ) {
    throw new InvalidArgumentError('must be a date YYYY-MM-DD.');
  }
  return text;
}

export function assetKind(text: string): AssetKind {
  if (isAssetKind(text)) return text;
  throw new InvalidArgumentError(`must be ${ASSET_KIND_IDS.join(' or ')}.`);
}

export function runKinds(text: string): RunKind[] {
  const kinds = text
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  const bad = kinds.filter((k) => !(RUN_KINDS as readonly string[]).includes(k));
  if (bad.length || kinds.length === 0)
    throw new InvalidArgumentError(
      `takes ${RUN_KINDS.slice(0, -1).join(', ')} and/or ${RUN_KINDS[RUN_KINDS.length - 1]}, comma-separated.`,
    );
  return kinds as RunKind[];
}

/** `--tickers A,B`: tickers as B3 spells them (upper-cased), each checked before any request. */
export function tickerList(text: string): string[] {
  const tickers = [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim().toUpperCase())
        .filter(Boolean),
    ),
  ];
  const bad = tickers.filter((t) => !isTicker(t));
  if (tickers.length === 0 || bad.length)
    throw new InvalidArgumentError(
      `takes tickers such as PETR4,HGLG11, comma-separated${bad.length ? ` (not a ticker: ${bad.join(', ')})` : ''}.`,
    );
  return tickers;
}

/** The live sites' base URLs (the defaults). */
const LIVE = { fundamentus: 'https://www.fundamentus.com.br', b3: 'https://sistemaswebb3-listados.b3.com.br' };

/** `--json`: machine-readable output on stdout. */
export function withJson<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
) {
  return command.option('--json', 'machine-readable output (JSON on stdout)');
}

/** `--data-dir DIR`: where the lake lives. */
export function withDataDir<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
) {
  return command.option('--data-dir <dir>', 'the lake folder', DEFAULT_DATA_DIR);
}

/** Where the sources are and how hard to try: every command that goes to the network. */
export function withNetwork<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
) {
  return command
    .option('--fundamentus-url <url>', 'base URL of Fundamentus or a mirror/replay server', LIVE.fundamentus)
    .option('--b3-url <url>', "base URL of B3's listing services", LIVE.b3)
    .option('--timeout <ms>', 'per-request timeout', positiveInt, 20_000)
    .option('--retries <n>', 'attempts per request, the first included', positiveInt, 4);
}

/**
 * `--cotahist-url URL`: where B3's COTAHIST zips are (the SerHist folder), for the commands that
 * fetch them. Without it: B3's folder, or the same folder of a B3 mirror given with `--b3-url`
 * (see cotahistUrlOf).
 */
export function withCotahistUrl<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
  alsoB3Url = false,
) {
  const beside = alsoB3Url ? `, or ${new URL(COTAHIST_URL).pathname} of a mirror given with --b3-url` : '';
  return command.option(
    '--cotahist-url <url>',
    `base URL of B3's COTAHIST files or a mirror/replay server (default: ${COTAHIST_URL}${beside})`,
  );
}

/**
 * The COTAHIST folder a command uses: `--cotahist-url`; else, when `--b3-url` names a mirror or the
 * replay server (not B3), its `/InstDados/SerHist/` (a mirror of B3 serves both, as the replay
 * server does); else B3's own.
 */
export function cotahistUrlOf(options: { cotahistUrl?: string; b3Url?: string }): string {
  if (options.cotahistUrl) return options.cotahistUrl;
  const mirror =
    options.b3Url !== undefined &&
    !isLive({ fundamentusUrl: '', b3Url: options.b3Url, timeout: 0, retries: 0 }, { b3: true });
  if (!mirror) return COTAHIST_URL;
  return `${(options.b3Url as string).replace(/\/+$/, '')}${new URL(COTAHIST_URL).pathname}`;
}

/** The options every network command ends up with (see withNetwork; cotahistUrl: withCotahistUrl). */
export interface NetworkOptions {
  fundamentusUrl: string;
  b3Url: string;
  cotahistUrl?: string;
  timeout: number;
  retries: number;
}

/**
 * Whether a source used is the live site (any host of fundamentus.com.br or b3.com.br, and B3's
 * COTAHIST host bvmf.bmfbovespa.com.br), not a mirror or replay.
 */
export function isLive(
  options: NetworkOptions,
  uses: { fundamentus?: boolean; b3?: boolean; cotahist?: boolean } = { fundamentus: true, b3: true },
): boolean {
  const host = (url: string) => {
    try {
      return new URL(url).hostname.toLowerCase();
    } catch {
      return '';
    }
  };
  const on = (url: string, domain: string) => host(url) === domain || host(url).endsWith(`.${domain}`);
  const cotahist = options.cotahistUrl ?? COTAHIST_URL;
  return Boolean(
    (uses.fundamentus && on(options.fundamentusUrl, 'fundamentus.com.br')) ||
    (uses.b3 && on(options.b3Url, 'b3.com.br')) ||
    (uses.cotahist && (on(cotahist, 'bmfbovespa.com.br') || on(cotahist, 'b3.com.br'))),
  );
}

/** How a command is spelled with its `--data-dir`, so printed hints work as printed. */
export function dataDirArg(dataDir: string): string {
  if (dataDir === DEFAULT_DATA_DIR || dataDir === `./${DEFAULT_DATA_DIR}`) return '';
  return ` --data-dir ${/^[\w./-]+$/.test(dataDir) ? dataDir : `'${dataDir.replace(/'/g, `'\\''`)}'`}`;
}
