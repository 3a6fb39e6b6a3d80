import { parseArgs } from 'node:util';
import { parseCotahistFileName } from '@b3lake/scraper';
import type { FaultKind, ReplayOptions } from './replay-server';

const FAULT_KINDS: readonly FaultKind[] = ['500', '429', 'timeout', 'truncate', 'challenge'];

export const SERVE_HELP = `Usage: nx run replay:serve -- [options]
       node --import tsx tools/replay/src/main.ts [options]   (with TSX_TSCONFIG_PATH=tsconfig.base.json)

A local stand-in for fundamentus.com.br and B3 on 127.0.0.1: serves this project's fixture pages
(or a synthetic market made from them) at the sites' own paths, so b3lake runs offline, and B3's
COTAHIST zips (synthetic: one record per instrument per weekday) under /InstDados/SerHist/, and
every listed ticker's dividend history (synthetic, up to --today): proventos.php?papel=X for stocks,
fii_proventos.php?papel=X&tipo=2 for FIIs.
Point a run at it from another terminal; the fixtures are of 2022-05-24:

  npx b3lake run --date 2022-05-24 --fundamentus-url http://127.0.0.1:8080 \\
    --b3-url http://127.0.0.1:8080 --min-interval 0 --data-dir data/replay

Options:
  --port <n>             port to listen on; 0 picks a free one (default 8080)
  --fixtures <dir>       folder with fundamentus/ and b3/ pages, as tools/fixtures (default tools/fixtures)
  --synthetic <n>        serve a market of n synthetic tickers (70% stocks, 30% FIIs: AAAA3…, AAAA11…),
                         each with its own values, the same on the listing and the detail page
  --own-values           give the fixture tickers their own values too (their quote kept); without it
                         VALE3, ITUB4, TAEE11 and MXRF11 print PETR4's and HGLG11's numbers
  --quote-date <date>    YYYY-MM-DD printed as "Data últ cot" on the pages the two options above make
  --today <date>         YYYY-MM-DD the server takes as today: COTAHIST files of later days answer 404,
                         dividend pages end there (default --quote-date, else today in São Paulo)
  --cotahist-html <names>  COTAHIST files answered with B3's HTML "not found" page (HTTP 200),
                         comma-separated, e.g. COTAHIST_D24052022.ZIP
  --cotahist-truncated <names>  COTAHIST files served with their last records missing (trailer count wrong)
  --proventos-changed <tickers>  tickers whose dividend page shows a changed history (one past row
                         removed, a new one at the top), comma-separated
  --latency <ms>         delay before every response (default 0)
  --fault-rate <p>       probability 0..1 that a request gets a transient fault (default 0)
  --faults <list>        which faults, comma-separated (default ${FAULT_KINDS.join(',')})
  --max-faults-per-url <n>  transient faults a URL gets at most, so retries get through (default 2)
  --retry-after <s>      Retry-After sent with 429 (default 1)
  --fail <tickers>       tickers whose detail page always answers 500, comma-separated
  --stall <tickers>      tickers whose detail page never answers, comma-separated
  --seed <n>             seed of the faults and of the synthetic values (default 42)
  -h, --help             show this help

Ctrl-C stops it.`;

/** A command line the server cannot start with; main.ts prints it and exits 2. */
export class ServeUsageError extends Error {}

const list = (text: string) => text.split(',').filter(Boolean);

function number(name: string, text: string, { min = 0, max = Infinity, integer = true } = {}): number {
  const value = Number(text);
  if (
    text.trim() === '' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  )
    throw new ServeUsageError(
      `--${name} ${text}: expected ${integer ? 'a whole number' : 'a number'} ` +
        (max === Infinity ? `≥ ${min}` : `from ${min} to ${max}`),
    );
  return value;
}

function isCotahistZip(name: string): boolean {
  try {
    return parseCotahistFileName(name).extension === 'ZIP';
  } catch {
    return false;
  }
}

/** A list of COTAHIST zip names, checked and upper-cased as the server matches them. */
function cotahistNames(option: string, text: string): string[] {
  const names = list(text);
  const bad = names.filter((name) => !isCotahistZip(name));
  if (bad.length)
    throw new ServeUsageError(
      `--${option}: not a COTAHIST zip name: ${bad.join(', ')} ` +
        '(expected COTAHIST_A2022.ZIP, COTAHIST_M052022.ZIP or COTAHIST_D24052022.ZIP)',
    );
  return names.map((name) => name.toUpperCase());
}

/** A list of tickers, upper-cased as the site's links print them. */
function tickers(option: string, text: string): string[] {
  const names = list(text).map((name) => name.toUpperCase());
  const bad = names.filter((name) => !/^[A-Z0-9]{4,12}$/.test(name));
  if (bad.length)
    throw new ServeUsageError(`--${option}: not a ticker: ${bad.join(', ')} (expected e.g. PETR4,HGLG11)`);
  return names;
}

/** `nx run replay:serve -- …` arguments → the server's options and its port, or `help`. */
export function parseServeArgs(argv: string[]): { help: true } | { help: false; port: number; options: ReplayOptions } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        port: { type: 'string', default: '8080' },
        fixtures: { type: 'string', default: 'tools/fixtures' },
        synthetic: { type: 'string', default: '0' },
        'own-values': { type: 'boolean', default: false },
        'quote-date': { type: 'string' },
        today: { type: 'string' },
        'cotahist-html': { type: 'string', default: '' },
        'cotahist-truncated': { type: 'string', default: '' },
        'proventos-changed': { type: 'string', default: '' },
        latency: { type: 'string', default: '0' },
        'fault-rate': { type: 'string', default: '0' },
        faults: { type: 'string', default: FAULT_KINDS.join(',') },
        'max-faults-per-url': { type: 'string', default: '2' },
        'retry-after': { type: 'string', default: '1' },
        fail: { type: 'string', default: '' },
        stall: { type: 'string', default: '' },
        seed: { type: 'string', default: '42' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new ServeUsageError((error as Error).message);
  }
  if (values.help) return { help: true };
  const faults = list(values.faults);
  const unknown = faults.filter((f) => !(FAULT_KINDS as readonly string[]).includes(f));
  if (unknown.length) throw new ServeUsageError(`--faults: unknown ${unknown.join(', ')} (known: ${FAULT_KINDS})`);
  const quoteDate = values['quote-date'];
  for (const [name, date] of [
    ['quote-date', quoteDate],
    ['today', values.today],
  ] as const)
    if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date))
      throw new ServeUsageError(`--${name} ${date}: expected YYYY-MM-DD`);
  return {
    help: false,
    port: number('port', values.port, { max: 65535 }),
    options: {
      fixturesDir: values.fixtures,
      syntheticTickers: number('synthetic', values.synthetic),
      ownValues: values['own-values'],
      quoteDate,
      today: values.today,
      cotahistHtml: cotahistNames('cotahist-html', values['cotahist-html']),
      cotahistTruncated: cotahistNames('cotahist-truncated', values['cotahist-truncated']),
      proventosChanged: tickers('proventos-changed', values['proventos-changed']),
      latencyMs: number('latency', values.latency),
      faultRate: number('fault-rate', values['fault-rate'], { max: 1, integer: false }),
      faultKinds: faults as FaultKind[],
      maxFaultsPerUrl: number('max-faults-per-url', values['max-faults-per-url']),
      retryAfterSeconds: number('retry-after', values['retry-after']),
      permanentFailures: list(values.fail),
      stalls: list(values.stall),
      seed: number('seed', values.seed),
    },
  };
}
