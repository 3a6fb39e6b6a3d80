import { DeadlineExceededError, HttpError } from '../errors';
import { serverPerTest, type Handler } from '../../test-support/local-server';
import { HttpClient, type HttpClientOptions } from './http-client';

const FAST: HttpClientOptions = { baseDelayMs: 5, maxDelayMs: 20, minIntervalMs: 0, timeoutMs: 5000 };
/** Timer and socket scheduling on a loaded machine; far below the waits these specs avoid. */
const SLACK_MS = 250;

describe('HttpClient request deadline and abort signal, against a real local server', () => {
  const servers = serverPerTest();
  let base: string;
  const serve = async (handler: Handler) => void (base = await servers.serve(handler));

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e,
    );

  it('aborts a stalled attempt at the deadline with a typed, retryable error naming URL and attempts', async () => {
    await serve(() => undefined); // accepts, never answers
    const started = Date.now();
    const error = await failure(new HttpClient(FAST).get(`${base}/stall`, { deadline: started + 300 }));
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({
      code: 'DEADLINE_EXCEEDED',
      retryable: true,
      reason: 'deadline',
      url: `${base}/stall`,
      attempts: 1,
    });
    expect((error as Error).message).toMatch(
      new RegExp(`^GET ${base}/stall gave up after 1 attempt\\(s\\): deadline reached`),
    );
    expect(elapsed).toBeGreaterThanOrEqual(295);
    expect(elapsed).toBeLessThan(300 + SLACK_MS);
  });

  it('gives up at once when Retry-After would end past the deadline, instead of sleeping first', async () => {
    await serve((_req, res) => res.writeHead(429, { 'Retry-After': '30' }).end());
    const started = Date.now();
    const error = await failure(new HttpClient(FAST).get(`${base}/busy`, { deadline: started + 2000 }));
    expect(Date.now() - started).toBeLessThan(SLACK_MS);
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', attempts: 1 });
    expect((error as Error).message).toMatch(/a 30000 ms wait before retrying would pass it; last failure: .*HTTP 429/);
    expect((error as Error).cause).toMatchObject({ status: 429 });
    expect(servers.current().hits).toHaveLength(1);
  });

  it('starts no attempt once the deadline has passed', async () => {
    await serve((_req, res) => res.end('ok'));
    const error = await failure(new HttpClient(FAST).get(`${base}/`, { deadline: Date.now() - 1 }));
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', attempts: 0 });
    expect(servers.current().hits).toHaveLength(0);
  });

  it('stops waiting for a connection slot at the deadline, and the queued attempt never starts', async () => {
    await serve((req, res) => {
      if (req.url === '/slow') setTimeout(() => res.end('slow'), 600);
      else res.end('ok');
    });
    const client = new HttpClient({ ...FAST, concurrency: 1 });
    const slow = client.get(`${base}/slow`);
    const started = Date.now();
    const error = await failure(client.get(`${base}/queued`, { deadline: started + 150 }));
    expect(Date.now() - started).toBeLessThan(150 + SLACK_MS);
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', attempts: 0 });
    await slow;
    expect(servers.current().hits.map((h) => h.path)).toEqual(['/slow']);
  });

  it('honours the caller’s abort signal during a backoff wait', async () => {
    await serve((_req, res) => res.writeHead(500).end());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const error = await failure(
      new HttpClient({ ...FAST, baseDelayMs: 5000, maxDelayMs: 5000, random: () => 1 }).get(`${base}/`, {
        signal: controller.signal,
      }),
    );
    expect(Date.now() - started).toBeLessThan(100 + SLACK_MS);
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', reason: 'aborted', attempts: 1 });
  });

  it('retries as usual within the deadline', async () => {
    await serve((_req, res, hit) => (hit === 1 ? res.writeHead(500).end() : res.end('fine')));
    const response = await new HttpClient(FAST).get(`${base}/`, { deadline: Date.now() + 5000 });
    expect(response.attempts).toBe(2);
    expect(Buffer.from(response.body).toString()).toBe('fine');
  });
});
