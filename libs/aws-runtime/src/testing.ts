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
 * Serves tools/fixtures at Fundamentus and B3 paths on 127.0.0.1; returns its URL and a stop
 * function. Detail pages of `options.stall` tickers are accepted and never answered.
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
