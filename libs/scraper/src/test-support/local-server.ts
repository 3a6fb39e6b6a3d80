import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

/** A real HTTP server on 127.0.0.1 (random port) that records when each request arrived. */
export class LocalServer {
  readonly hits: { path: string; at: number; userAgent?: string }[] = [];
  private server?: Server;
  private active = 0;
  maxActive = 0;

  constructor(private handler: Handler) {}

  setHandler(handler: Handler): void {
    this.handler = handler;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.hits.push({ path: req.url ?? '', at: Date.now(), userAgent: req.headers['user-agent'] });
      this.active++;
      this.maxActive = Math.max(this.maxActive, this.active);
      res.on('close', () => this.active--);
      this.handler(req, res, this.hits.length);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * A fresh LocalServer per test of the calling `describe`: `serve(handler)` starts it and returns
 * its base URL; it is stopped after each test.
 */
export function serverPerTest(): { serve(handler: Handler): Promise<string>; current(): LocalServer } {
  let server: LocalServer | undefined;
  afterEach(async () => server?.stop());
  return {
    serve: async (handler) => {
      server = new LocalServer(handler);
      return server.start();
    },
    current: () => {
      if (!server) throw new Error('serve() was not called in this test');
      return server;
    },
  };
}
