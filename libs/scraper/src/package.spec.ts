/**
 * Proof that other projects can reuse @b3lake/scraper: build it, `npm pack` it, install the
 * tarball into a fresh project outside the workspace, then import it as ESM and CommonJS and
 * type-check a consumer under NodeNext resolution.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cotahistFile, cotahistQuote, zipOf } from './test-support/cotahist';

const workspace = resolve(__dirname, '../../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const PAGE = [
  '<html><body><table class="w728"><tr>',
  '<td class="label"><span class="help tips" title="x">?</span><span class="txt">Papel</span></td>' +
    '<td class="data"><span class="txt">PETR4</span></td>',
  '<td class="label"><span class="txt">Cotação</span></td><td class="data"><span class="txt">31,60</span></td></tr>',
  '<tr><td class="label"><span class="txt">Data últ cot</span></td>' +
    '<td class="data"><span class="txt">24/05/2022</span></td>',
  '<td class="label"><span class="txt">Valor de mercado</span></td>' +
    '<td class="data"><span class="txt">412.206.000.000</span></td></tr>',
  '<tr><td class="label"><span class="txt">Dia</span></td>' +
    '<td class="data"><span class="oscil"><font>-2,91%</font></span></td></tr></table></body></html>',
].join('\n');

const COTAHIST = cotahistFile([cotahistQuote()]);

describe('@b3lake/scraper as a published package', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'b3lake-scraper-pack-'));
    const dist = join(dir, 'dist');
    execFileSync(process.execPath, ['tools/build/build-lib.mjs', 'libs/scraper', dist], {
      cwd: workspace,
      stdio: 'pipe',
    });
    execFileSync(npm, ['pack', dist, '--pack-destination', dir, '--silent'], { cwd: dir, stdio: 'pipe' });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    const consumer = join(dir, 'consumer');
    execFileSync('mkdir', ['-p', consumer]);
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }),
    );
    writeFileSync(join(consumer, 'page.html'), PAGE);
    execFileSync(npm, ['install', join(dir, tarball), '--no-audit', '--no-fund', '--prefer-offline', '--silent'], {
      cwd: consumer,
      stdio: 'pipe',
    });
  }, 180_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (file: string, source: string): string => {
    const consumer = join(dir, 'consumer');
    writeFileSync(join(consumer, file), source);
    return execFileSync(process.execPath, [file], { cwd: consumer, encoding: 'utf8' }).trim();
  };

  it('imports as an ES module and parses a page', () => {
    const out = run(
      'esm.mjs',
      `import { readFileSync } from 'node:fs';
       import { parseDetailPage, HttpClient, TickerNotFoundError } from '@b3lake/scraper';
       const page = parseDetailPage(readFileSync('page.html'));
       console.log(JSON.stringify([page.ticker, page.values.vlr_cot, page.values.pct_var_dia, ` +
        'typeof HttpClient, typeof TickerNotFoundError]));',
    );
    expect(JSON.parse(out)).toEqual(['PETR4', 31.6, -0.0291, 'function', 'function']);
  });

  it('requires as CommonJS (p-limit inlined) and runs the HTTP client', () => {
    const out = run(
      'cjs.cjs',
      `const { parsePercent, HttpClient } = require('@b3lake/scraper');
       const client = new HttpClient({ concurrency: 2 });
       console.log(JSON.stringify([parsePercent('-2,08%'), client instanceof HttpClient]));`,
    );
    expect(JSON.parse(out)).toEqual([-0.0208, true]);
  });

  it('streams a zipped COTAHIST file from a file stream, as ESM and as CommonJS', () => {
    const consumer = join(dir, 'consumer');
    writeFileSync(
      join(consumer, 'COTAHIST_D26032021.ZIP'),
      zipOf([{ name: 'COTAHIST_D26032021.TXT', data: COTAHIST }]),
    );
    const read = `for await (const q of reader) quotes.push([q.ticker, q.close]);
       console.log(JSON.stringify([reader.container, reader.entryName, quotes, reader.trailer.totalRecords]));`;
    const expected = ['zip', 'COTAHIST_D26032021.TXT', [['PETR4', 23.46]], 3];
    const esm = run(
      'cotahist.mjs',
      `import { createReadStream } from 'node:fs';
       import { CotahistReader } from '@b3lake/scraper';
       const reader = new CotahistReader(createReadStream('COTAHIST_D26032021.ZIP'));
       const quotes = [];
       ${read}`,
    );
    expect(JSON.parse(esm)).toEqual(expected);
    const cjs = run(
      'cotahist.cjs',
      `const { createReadStream } = require('node:fs');
       const { CotahistReader } = require('@b3lake/scraper');
       (async () => {
         const reader = new CotahistReader(createReadStream('COTAHIST_D26032021.ZIP'));
         const quotes = [];
         ${read}
       })();`,
    );
    expect(JSON.parse(cjs)).toEqual(expected);
  });

  it('type-checks a TypeScript consumer under NodeNext resolution', () => {
    const consumer = join(dir, 'consumer');
    writeFileSync(
      join(consumer, 'use.mts'),
      `import { parseDetailPage, type DetailPage, type AcaoValues } from '@b3lake/scraper';
       const page: DetailPage = parseDetailPage('<html></html>');
       if (page.kind === 'acao') { const cot: number | null = page.values.vlr_cot; ` +
        `const v: AcaoValues = page.values; void cot; void v; }
       else { const cotas: number | null = page.values.num_cotas; void cotas; }
       import { CotahistReader, CotahistZipError, type CotahistQuote } from '@b3lake/scraper';
       export async function closes(source: AsyncIterable<Uint8Array>): Promise<number[]> {
         const out: number[] = [];
         for await (const q of new CotahistReader(source)) { const quote: CotahistQuote = q; out.push(quote.close); }
         return out;
       }
       export const zipProblem = (e: unknown) => (e instanceof CotahistZipError ? e.problem : undefined);`,
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          types: [],
          lib: ['es2023', 'dom'],
        },
        files: ['use.mts'],
      }),
    );
    const tsc = join(workspace, 'node_modules/typescript/bin/tsc');
    expect(() =>
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: consumer, encoding: 'utf8', stdio: 'pipe' }),
    ).not.toThrow();
  });
});
