import { Command } from '@commander-js/extra-typings';
import { createReadStream } from 'node:fs';
import { CotahistReader, isCotahist, parseContent, type ParsedContent, type ProventosPage } from '@b3lake/scraper';
import type { CliContext } from '../cli';
import { formatCotahistSummary, summarizeCotahist } from '../cotahist-summary';
import { EXIT, UsageError } from '../exit-codes';
import { formatDetail, formatListing, formatPortfolio, toJson } from '../format';
import type { Io } from '../io';
import { withJson } from '../options';

export interface ParseOptions {
  json?: boolean;
}

/** The argument that reads standard input instead of a file. */
const STDIN = '-';

/** `b3lake parse FILE`: offline; the format is detected from the content. */
export function parseCommand(ctx: CliContext) {
  return withJson(
    new Command('parse')
      .summary('parse a saved page or file offline')
      .description(
        'Parse a saved page or file offline: a Fundamentus detail, listing or dividend page, a B3 portfolio JSON, ' +
          'an IBOVDia CSV or a B3 COTAHIST file (.TXT, or the .ZIP B3 publishes). The format is detected ' +
          'from the content; gzip content (the lake archives pages as .html.gz) is decompressed. Damaged ' +
          'text (U+FFFD) is reported as warnings on stderr and, with --json, in a "warnings" array. A dividend ' +
          'page (proventos.php, fii_proventos.php) prints every distribution as published, then the yearly ' +
          'totals apart. A COTAHIST file is streamed to its end (any size, ' +
          'flat memory) and summarised: header, trading days, quotes per market type (TPMERC), distinct ' +
          'tickers and the trailer check; --json prints that summary as JSON.',
      )
      .argument('<file>', `the file to parse, or ${STDIN} for standard input`),
  ).action(async (file, options) => {
    ctx.exitCode = await parseFile(file, options, ctx.io);
  });
}

export async function parseFile(file: string, options: ParseOptions, io: Io): Promise<number> {
  const input = await sniff(openInput(file, io));
  if (isCotahist(input.head)) {
    const summary = await summarizeCotahist(new CotahistReader(input.chunks()));
    io.out(options.json ? toJson(summary) : formatCotahistSummary(summary));
    return EXIT.OK;
  }
  const parsed = parseContent(await readAll(input.chunks()));
  // Warnings go to stderr whatever the output format: people see them, stdout stays clean for pipes.
  for (const warning of warningsOf(parsed)) io.err(`b3lake: warning: ${warning}`);
  if (options.json) {
    io.out(
      toJson(parsed.format === 'fundamentus-detail' ? parsed.result : { format: parsed.format, ...parsed.result }),
    );
    return EXIT.OK;
  }
  switch (parsed.format) {
    case 'fundamentus-detail':
      io.out(formatDetail(parsed.result));
      break;
    case 'fundamentus-listing':
      io.out(formatListing(parsed.result));
      break;
    case 'fundamentus-proventos':
      io.out(formatProventos(parsed.result));
      break;
    default:
      io.out(formatPortfolio(parsed.result, { warningsInline: false }));
  }
  return EXIT.OK;
}

/** A dividend page: every distribution as published, in page order, then the yearly totals (not distributions). */
function formatProventos(page: ProventosPage): string {
  const perCategoria = new Map<string, number>();
  for (const d of page.distributions) perCategoria.set(d.categoria, (perCategoria.get(d.categoria) ?? 0) + 1);
  const kinds = [...perCategoria].map(([categoria, n]) => `${categoria} ${n}`).join(', ');
  const yearly = page.yearlyTotals.length ? `, ${page.yearlyTotals.length} yearly totals kept apart` : '';
  const unknown = page.unknownHeaders.length ? `, unknown headers: ${page.unknownHeaders.join(', ')}` : '';
  const lines = [
    `${page.ticker ?? '(no ticker)'} — ${page.page} (${page.kind}): ${page.distributions.length} distributions` +
      `${kinds ? ` (${kinds})` : ''}${yearly}${unknown}`,
  ];
  const table = [
    ['data com', 'tipo', 'categoria', 'valor', 'por ações', 'pagamento'],
    ...page.distributions.map((d) => [
      d.dataCom,
      d.tipo,
      d.categoria,
      String(d.valor),
      String(d.porQuantasAcoes),
      d.dataPagamento ?? '—',
    ]),
  ];
  if (page.distributions.length) lines.push('', ...columns(table, [3, 4]));
  if (page.yearlyTotals.length) {
    lines.push('', "yearly totals (the page's own sums per share, not distributions):");
    lines.push(...columns([['ano', 'valor'], ...page.yearlyTotals.map((t) => [String(t.ano), String(t.valor)])], [1]));
  }
  return lines.join('\n');
}

/** Rows of cells as aligned text, two spaces apart; the `right` columns are right-aligned. */
function columns(rows: string[][], right: number[]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const cell = (text: string, c: number) => (right.includes(c) ? text.padStart(widths[c]) : text.padEnd(widths[c]));
  return rows.map((row) => `  ${row.map(cell).join('  ')}`.trimEnd());
}

/** The chunks of FILE, or of standard input for `-`; read errors keep their fs code (exit 4). */
function openInput(file: string, io: Io): AsyncIterable<Uint8Array | string> {
  // 1 MiB reads: a year of COTAHIST is ~250 MB, and larger chunks cost less per byte.
  if (file !== STDIN) return createReadStream(file, { highWaterMark: 1 << 20 });
  const stdin = io.stdin ?? process.stdin;
  // Nothing piped in: say so rather than wait for the user to type a page.
  if (stdin.isTTY) {
    throw new UsageError(`'parse ${STDIN}' reads standard input, which is a terminal: b3lake parse - < page.html`);
  }
  return stdin;
}

/** Bytes needed to tell a COTAHIST file (`00COTAHIST`, or a zip's `PK\x03\x04`) from a page. */
const SNIFF_BYTES = 10;

/** Reads the first bytes without losing them: `chunks()` gives the whole input again, from its start. */
async function sniff(source: AsyncIterable<Uint8Array | string>) {
  const iterator = source[Symbol.asyncIterator]();
  const held: Buffer[] = [];
  let length = 0;
  while (length < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = asBuffer(next.value);
    held.push(chunk);
    length += chunk.length;
  }
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      yield* held;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        yield asBuffer(next.value);
      }
    } finally {
      await iterator.return?.(); // closes the file when reading stops early
    }
  }
  return { head: Buffer.concat(held, length), chunks };
}

/** The chunk's bytes without a copy (a string chunk, from a stream given an encoding, as UTF-8). */
function asBuffer(chunk: Uint8Array | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

async function readAll(chunks: AsyncIterable<Buffer>): Promise<Uint8Array> {
  const all: Buffer[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return Buffer.concat(all);
}

function warningsOf(parsed: ParsedContent): readonly string[] {
  return parsed.result.warnings ?? [];
}
