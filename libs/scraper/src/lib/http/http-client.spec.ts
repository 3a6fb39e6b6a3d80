import { BlockedError, DeadlineExceededError, HttpError, TimeoutError } from '../errors';
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

describe('HttpClient.stream against a real local server', () => {
  const servers = serverPerTest();
  let base: string;
  const serve = async (handler: Handler) => void (base = await servers.serve(handler));
  const collect = async (body: AsyncIterable<Uint8Array>) => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(chunk);
    return Buffer.concat(chunks).toString();
  };

  it('returns with the first bytes while the server is still sending the rest', async () => {
    let finish = () => undefined as unknown;
    await serve((_req, res) => {
      res.write('first ');
      finish = () => res.end('last');
    });
    const response = await new HttpClient(FAST).stream(`${base}/`);
    expect(response).toMatchObject({ status: 200, attempts: 1 });
    finish();
    expect(await collect(response.body)).toBe('first last');
    expect(servers.current().hits[0].userAgent).toMatch(/^Mozilla\/5\.0 .*Chrome/);
  });

  it('retries a 500 before the body, like get', async () => {
    await serve((_req, res, hit) => (hit === 1 ? res.writeHead(500).end('boom') : res.end('fine')));
    const response = await new HttpClient(FAST).stream(`${base}/`);
    expect(response.attempts).toBe(2);
    expect(await collect(response.body)).toBe('fine');
  });

  it('refuses a Cloudflare challenge served with 200 as BlockedError, like get', async () => {
    await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(CHALLENGE_PAGE));
    const error = await new HttpClient({ ...FAST, maxAttempts: 2 }).stream(`${base}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockedError);
    expect(error).toMatchObject({ attempts: 2 });
  });

  it('hands an ordinary HTML page over as data', async () => {
    await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>hello</html>'));
    expect(await collect((await new HttpClient(FAST).stream(`${base}/`)).body)).toBe('<html>hello</html>');
  });

  it('does not retry a 404', async () => {
    await serve((_req, res) => res.writeHead(404).end());
    const error = await new HttpClient(FAST).stream(`${base}/`).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, attempts: 1, retryable: false });
  });

  it('times out a body that stops arriving, with a typed retryable error from the iteration', async () => {
    await serve((_req, res) => res.write('some')); // never ends
    const response = await new HttpClient({ ...FAST, timeoutMs: 150 }).stream(`${base}/`);
    const error = await collect(response.body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ retryable: true });
  });

  it('does not count the time the caller spends between chunks against the timeout', async () => {
    await serve((_req, res) => {
      res.write('a');
      setTimeout(() => res.end('b'), 20);
    });
    const response = await new HttpClient({ ...FAST, timeoutMs: 150 }).stream(`${base}/`);
    const chunks: string[] = [];
    for await (const chunk of response.body) {
      chunks.push(Buffer.from(chunk).toString());
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(chunks.join('')).toBe('ab');
  });

  it('ends the body read at the request deadline with DeadlineExceededError', async () => {
    await serve((_req, res) => res.write('some'));
    const response = await new HttpClient(FAST).stream(`${base}/`, { deadline: Date.now() + 200 });
    const error = await collect(response.body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ reason: 'deadline', message: expect.stringMatching(/while reading the body/) });
  });

  it('closes the connection when the caller cancels or breaks out of the body', async () => {
    const closed: number[] = [];
    await serve((_req, res, hit) => {
      res.on('close', () => closed.push(hit));
      res.write('some');
    });
    const client = new HttpClient(FAST);
    await (await client.stream(`${base}/1`)).cancel();
    for await (const _chunk of (await client.stream(`${base}/2`)).body) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed.sort()).toEqual([1, 2]);
  });

  it('frees its connection slot once the first bytes are in, so unread bodies cannot starve the client', async () => {
    await serve((_req, res) => res.write('some'));
    const client = new HttpClient({ ...FAST, concurrency: 1 });
    const responses = await Promise.all([client.stream(`${base}/1`), client.stream(`${base}/2`)]);
    expect(servers.current().hits).toHaveLength(2);
    await Promise.all(responses.map((r) => r.cancel()));
  });
});
