/**
 * @b3lake/aws-runtime/testing — helpers for Lambda handler specs: the environment apps/infra
 * sets, and a local HTTP server serving tools/fixtures as Fundamentus and B3.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { resetRuntime } from './lib/lazy';

export const FIXTURES = resolve(__dirname, '../../../tools/fixtures');

export function setTestEnv(extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    BUCKET_LANDING: 'b3lake-test-landing',
    BUCKET_SOR: 'b3lake-test-sor',
    BUCKET_SOT: 'b3lake-test-sot',
    BUCKET_SPEC: 'b3lake-test-spec',
    BUCKET_REFINED: 'b3lake-test-refined',
    QUEUE_ACOES_URL: 'https://sqs.test/acoes',
    QUEUE_FIIS_URL: 'https://sqs.test/fiis',
    QUEUE_PROVENTOS_URL: 'https://sqs.test/proventos',
    HTTP_MIN_INTERVAL_MS: '0',
    AWS_REGION: 'sa-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    POWERTOOLS_METRICS_NAMESPACE: 'b3lake-test',
    ...extra,
  });
  resetRuntime();
}

/**
 * Serves tools/fixtures at Fundamentus and B3 paths on 127.0.0.1 (dividend pages: the recorded
 * proventos_WEGE3 and fii_proventos_HGLG11); returns its URL and a stop function. Detail pages
 * of `options.stall` tickers are accepted and never answered.
 */
export async function serveFixtures(
  options: { stall?: readonly string[] } = {},
): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/detalhes.php' && options.stall?.includes(url.searchParams.get('papel') ?? '')) return;
    const file =
      url.pathname === '/resultado.php'
        ? 'fundamentus/resultado.html'
        : url.pathname === '/fii_resultado.php'
          ? 'fundamentus/fii_resultado.html'
          : url.pathname === '/detalhes.php'
            ? `fundamentus/detalhes_${url.searchParams.get('papel')}.html`
            : url.pathname === '/proventos.php' || url.pathname === '/fii_proventos.php'
              ? `fundamentus${url.pathname.replace('.php', '_')}${url.searchParams.get('papel')}.html`
              : url.pathname.startsWith('/indexProxy/indexCall/GetPortfolioDay/')
                ? 'b3/GetPortfolioDay_IBOV_pt-br.json'
                : 'missing';
    try {
      res.end(readFileSync(join(FIXTURES, file)));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A GetObject output whose body is these bytes (what S3Store reads). */
export function objectBody(bytes: Uint8Array) {
  return { Body: { transformToByteArray: async () => bytes } } as never;
}

/**
 * Collects what is written to stdout and stderr until `restore()`: Powertools logs (warnings and
 * errors go to stderr) and EMF metrics, as text and as the JSON objects of its lines, so a spec can
 * assert on log keys and flushed metrics.
 */
export function captureOutput(): { text: () => string; lines: () => Record<string, unknown>[]; restore: () => void } {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write);
  for (const stream of streams)
    stream.write = ((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof stream.write;
  return {
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    restore: () => streams.forEach((stream, i) => (stream.write = writes[i])),
  };
}
