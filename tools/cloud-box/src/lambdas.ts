import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export type InvokeResult = { ok: true; result: unknown } | { ok: false; errorType: string; errorMessage: string };

export interface FunctionSpec {
  logicalId: string;
  arn: string;
  roleArn: string;
  bundleDir: string;
  handler: string;
  timeoutMs: number;
  memoryMb: number;
  /** The template's environment plus the box's (endpoint, credentials of the role, site URLs). */
  env: Record<string, string>;
}

const HOST = join(__dirname, '..', 'host', 'lambda-host.cjs');

/** One execution environment: a child process that keeps the bundle loaded between invocations. */
class Host {
  readonly ready: Promise<void>;
  private pending?: { id: number; resolve: (r: InvokeResult) => void };
  /** Peak resident memory of this environment so far, MB (Lambda's "Max Memory Used"). */
  maxMemoryUsedMb = 0;
  private nextId = 0;
  dead = false;

  constructor(
    private readonly child: ChildProcess,
    logs: string[],
  ) {
    const keep = (chunk: Buffer) => {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (logs.length > 2000) logs.splice(0, logs.length - 2000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.ready = new Promise((resolve) => child.once('message', () => resolve()));
    child.on(
      'message',
      (m: {
        type: string;
        id?: number;
        result?: unknown;
        errorType?: string;
        errorMessage?: string;
        maxRssKb?: number;
      }) => {
        if (m.maxRssKb) this.maxMemoryUsedMb = Math.max(this.maxMemoryUsedMb, Math.round(m.maxRssKb / 1024));
        if (!this.pending || m.id !== this.pending.id) return;
        const { resolve } = this.pending;
        this.pending = undefined;
        resolve(
          m.type === 'result'
            ? { ok: true, result: m.result }
            : { ok: false, errorType: m.errorType ?? 'Error', errorMessage: m.errorMessage ?? '' },
        );
      },
    );
    child.on('exit', (code, signal) => {
      this.dead = true;
      this.pending?.resolve({
        ok: false,
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: box Error: Runtime exited (${signal ?? code})`,
      });
      this.pending = undefined;
    });
  }

  async invoke(event: unknown, spec: FunctionSpec): Promise<InvokeResult> {
    await this.ready;
    const id = ++this.nextId;
    let timer: NodeJS.Timeout | undefined;
    const result = await new Promise<InvokeResult>((resolve) => {
      this.pending = { id, resolve };
      // Lambda ends the environment at the timeout: nothing the handler still does survives.
      timer = setTimeout(() => {
        // Dead from now: its 'exit' comes later, and the environment must not be reused meanwhile
        // (a send on its closed channel throws "Channel closed").
        this.dead = true;
        this.child.kill('SIGKILL');
        this.pending = undefined;
        resolve({
          ok: false,
          errorType: 'Sandbox.Timedout',
          errorMessage: `Task timed out after ${(spec.timeoutMs / 1000).toFixed(2)} seconds`,
        });
      }, spec.timeoutMs);
      try {
        this.child.send({ type: 'invoke', id, event, timeoutMs: spec.timeoutMs, functionArn: spec.arn });
      } catch (error) {
        this.dead = true;
        this.pending = undefined;
        resolve({ ok: false, errorType: 'Runtime.ExitError', errorMessage: `RequestId: box Error: ${error}` });
      }
    });
    clearTimeout(timer);
    return result;
  }

  stop(): void {
    if (!this.dead) this.child.kill('SIGKILL');
  }
}

/**
 * A deployed function: its bundle run in up to `maxInstances` environments (reused while warm,
 * a new one per concurrent invocation, like Lambda). Invocations beyond that wait for a free one.
 */
export class BoxFunction {
  readonly logs: string[] = [];
  /** Each finished invocation, with its environment's peak memory after it (Lambda's "Max Memory Used", MB). */
  readonly invocations: { event: unknown; result: InvokeResult; ms: number; maxMemoryUsedMb: number }[] = [];
  /** Events of invocations that have started (finished or not). */
  readonly started: unknown[] = [];
  /** The next N synchronous invocations are throttled (Lambda.TooManyRequestsException). */
  throttleNext = 0;
  private readonly idle: Host[] = [];
  private readonly all: Host[] = [];
  private readonly waiting: (() => void)[] = [];
  private running = 0;

  constructor(
    readonly spec: FunctionSpec,
    private readonly maxInstances = 4,
  ) {}

  get name(): string {
    return this.spec.logicalId;
  }

  async invoke(event: unknown): Promise<InvokeResult> {
    while (this.running >= this.maxInstances) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    this.started.push(event);
    const host = this.idle.pop() ?? this.spawn();
    const started = Date.now();
    try {
      const result = await host.invoke(JSON.parse(JSON.stringify(event)), this.spec);
      this.invocations.push({ event, result, ms: Date.now() - started, maxMemoryUsedMb: host.maxMemoryUsedMb });
      if (!host.dead) this.idle.push(host);
      return result;
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  stop(): void {
    for (const host of this.all) host.stop();
  }

  private spawn(): Host {
    const child = fork(HOST, [], {
      env: { ...this.spec.env, BOX_BUNDLE_DIR: this.spec.bundleDir, BOX_HANDLER: this.spec.handler },
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const host = new Host(child, this.logs);
    this.all.push(host);
    return host;
  }
}
