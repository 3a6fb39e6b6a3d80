/**
 * nx run scraper:bench — parses every real detail page many times, side by side with a bare
 * cheerio load of the same bytes, and prints pages/s, the ratio, and peak RSS.
 * Uses ../shared/fixtures/real when present (as CI has it), else the project's own fixtures.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { load as loadSlim } from 'cheerio/slim';
import { load as loadDefault } from 'cheerio';
import { decodeBody, parseDetailPage } from '@b3lake/scraper';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 40);
const real = resolve(process.env['B3LAKE_REAL_FIXTURES'] ?? '../shared/fixtures/real', 'fundamentus');
const own = resolve('tools/fixtures/fundamentus');
const dir = existsSync(real) ? real : own;
const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
  (f) => /detalhes_.*\.html$/.test(f) && !/selecione|nenhum|XXXX99|AURA3\./.test(f),
);
const pages = files.map((f) => readFileSync(join(dir, f)));

let peakRss = process.memoryUsage().rss;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

function time(label: string, fn: (page: Buffer) => unknown): number {
  for (const page of pages) fn(page); // warm-up
  const start = process.hrtime.bigint();
  for (let round = 0; round < ROUNDS; round++) {
    for (const page of pages) fn(page);
    sample();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = (pages.length * ROUNDS) / seconds;
  console.log(`${label.padEnd(44)} ${rate.toFixed(0).padStart(7)} pages/s`);
  return rate;
}

const source = dir === real ? 'shared/fixtures/real' : 'tools/fixtures (real pages not found)';
console.log(`${pages.length} detail pages from ${source} × ${ROUNDS} rounds\n`);
// Interleave twice so neither side gets a systematically warmer CPU.
const runs = { parse: [] as number[], slim: [] as number[], full: [] as number[] };
for (let i = 0; i < 2; i++) {
  runs.parse.push(time('parseDetailPage (decode + load + pair + type)', (p) => parseDetailPage(p)));
  runs.slim.push(time('bare cheerio/slim load (decode + load)', (p) => loadSlim(decodeBody(p))));
  runs.full.push(time('bare cheerio.load (parse5, decode + load)', (p) => loadDefault(decodeBody(p))));
}
const best = (xs: number[]) => Math.max(...xs);
const parse = best(runs.parse);
console.log('');
console.log(`pages/s (parseDetailPage)                  ${parse.toFixed(0)}`);
const slimRatio = (best(runs.slim) / parse).toFixed(2);
console.log(`time ratio vs bare cheerio/slim load        ${slimRatio}×  (target ≤ 1.3×; same parser engine)`);
console.log(`time ratio vs bare cheerio.load (default)   ${(best(runs.full) / parse).toFixed(2)}×`);
console.log(`peak RSS                                    ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
