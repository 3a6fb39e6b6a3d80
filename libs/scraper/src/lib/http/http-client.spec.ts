import { BlockedError, HttpError, TimeoutError } from '../errors';
import { CHALLENGE_PAGE } from '../../test-support/pages';
import { serverPerTest, type Handler } from '../../test-support/local-server';
import { HttpClient, type HttpClientOptions } from './http-client';

const FAST: HttpClientOptions = { baseDelayMs: 5, maxDelayMs: 20, minIntervalMs: 0, timeoutMs: 2000 };

describe('HttpClient against a real local server', () => {
  const servers = serverPerTest();
  let base: string;
  const serve = async (handler: Handler) => void (base = await servers.serve(handler));

  it('sends a browser-like User-Agent and returns the bytes', async () => {
    await serve((_req, res) => res.end('ok'));
    const response = await new HttpClient(FAST).get(`${base}/a`);
    expect(Buffer.from(response.body).toString()).toBe('ok');
    expect(servers.current().hits[0].userAgent).toMatch(/^Mozilla\/5\.0 .*Chrome/);
  });

  it('decodes text by its bytes: Windows-1252 when not valid UTF-8', async () => {
    await serve((_req, res) => res.end(Buffer.from([0x43, 0x6f, 0x74, 0x61, 0xe7, 0xe3, 0x6f, 0x20, 0x96])));
    expect(await new HttpClient(FAST).getText(`${base}/`)).toBe('Cotação –');
  });

  it('retries after a 500 and succeeds', async () => {
    await serve((_req, res, hit) => {
      res.statusCode = hit === 1 ? 500 : 200;
      res.end(hit === 1 ? 'boom' : 'fine');
    });
    const retries: number[] = [];
    const response = await new HttpClient({ ...FAST, onRetry: (e) => retries.push(e.attempt) }).get(`${base}/`);
    expect(response.attempts).toBe(2);
    expect(retries).toEqual([1]);
  });

  it('waits as long as Retry-After says after a 429', async () => {
    await serve((_req, res, hit) => {
      if (hit === 1) {
        res.writeHead(429, { 'Retry-After': '1' });
        res.end();
      } else res.end('ok');
    });
    const response = await new HttpClient({ ...FAST, maxDelayMs: 5 }).get(`${base}/`);
    expect(response.attempts).toBe(2);
    expect(servers.current().hits[1].at - servers.current().hits[0].at).toBeGreaterThanOrEqual(950);
  });

  it('times out a request that does not answer, then retries it', async () => {
    await serve((_req, res, hit) => {
      if (hit === 1) return; // never answers
      res.end('late but fine');
    });
    const response = await new HttpClient({ ...FAST, timeoutMs: 150 }).get(`${base}/`);
    expect(response.attempts).toBe(2);
  });

  it('gives up after maxAttempts with a typed error carrying URL, status and attempts', async () => {
    await serve((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    const error = await new HttpClient({ ...FAST, maxAttempts: 3 }).get(`${base}/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ url: `${base}/x`, status: 503, attempts: 3, retryable: true });
    expect(servers.current().hits).toHaveLength(3);
  });

  it('throws TimeoutError when every attempt times out', async () => {
    await serve(() => undefined);
    const error = await new HttpClient({ ...FAST, timeoutMs: 100, maxAttempts: 2 })
      .get(`${base}/`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ attempts: 2 });
  });

  it('does not retry a 404', async () => {
    await serve((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    const error = await new HttpClient(FAST).get(`${base}/`).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, attempts: 1, retryable: false });
    expect(servers.current().hits).toHaveLength(1);
  });

  it('retries a connection cut mid-body (truncated response)', async () => {
    await serve((_req, res, hit) => {
      if (hit === 1) {
        res.writeHead(200, { 'Content-Length': '1000' });
        res.write('partial');
        res.destroy();
      } else res.end('whole');
    });
    const response = await new HttpClient(FAST).get(`${base}/`);
    expect(Buffer.from(response.body).toString()).toBe('whole');
    expect(response.attempts).toBe(2);
  });

  it('treats a Cloudflare challenge served with 200 as BlockedError, never as data', async () => {
    await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(CHALLENGE_PAGE);
    });
    const error = await new HttpClient({ ...FAST, maxAttempts: 2 }).get(`${base}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockedError);
    expect(error).toMatchObject({ retryable: true, attempts: 2 });
  });

  it('treats 403 "Access denied" as BlockedError and retries it with backoff', async () => {
    await serve((_req, res, hit) => {
      if (hit === 1) {
        res.writeHead(403, { 'Content-Type': 'text/html' });
        res.end('<html><head><title>Access denied</title></head></html>');
      } else res.end('ok');
    });
    expect((await new HttpClient(FAST).get(`${base}/`)).attempts).toBe(2);
  });

  it('keeps its defaults for options passed as undefined (a CLI flag that was not given)', async () => {
    await serve((_req, res) => {
      res.statusCode = 500;
      res.end();
    });
    const client = new HttpClient({
      ...FAST,
      maxAttempts: undefined,
      timeoutMs: undefined,
      baseDelayMs: 1,
      maxDelayMs: 1,
    });
    const error = await client.get(`${base}/`).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500, attempts: 4 });
  });

  it('rejects a maxAttempts below 1', () => {
    expect(() => new HttpClient({ maxAttempts: 0 })).toThrow(RangeError);
  });

  it('never has more requests in flight than its concurrency', async () => {
    await serve((_req, res) => setTimeout(() => res.end('ok'), 60));
    const client = new HttpClient({ ...FAST, concurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, (_, i) => client.get(`${base}/${i}`)));
    expect(servers.current().maxActive).toBe(2);
  });

  it('spaces the starts of requests to the same host by the minimum interval', async () => {
    await serve((_req, res) => res.end('ok'));
    // Record when the client starts each request (the gate's promise), still over real sockets;
    // arrival times at the server would add the machine's scheduling jitter.
    const starts: number[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      starts.push(performance.now());
      return fetch(input, init);
    };
    const client = new HttpClient({ ...FAST, concurrency: 4, minIntervalMs: 80, fetch: recordingFetch });
    await Promise.all(Array.from({ length: 4 }, (_, i) => client.get(`${base}/${i}`)));
    expect(servers.current().hits).toHaveLength(4);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    // A timer may fire up to a millisecond early (millisecond rounding).
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(79);
  });
});
