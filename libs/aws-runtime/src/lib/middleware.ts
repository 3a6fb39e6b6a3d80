import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics, tracer } from './observability';

/** `captureLambdaHandler` on the tracer loaded by the first invocation (see `tracer()`). */
function captureHandler(): MiddlewareObj {
  let capture: MiddlewareObj | undefined;
  return {
    before: async (request) => {
      capture ??= captureLambdaHandler(await tracer());
      await capture.before?.(request);
    },
    after: async (request) => {
      await capture?.after?.(request);
    },
    onError: async (request) => {
      await capture?.onError?.(request);
    },
  };
}

type Handler = (event: never, context: Context) => Promise<unknown>;

/** A handler as Lambda calls it: its own signatures (overloads included), and with the Lambda context. */
export type LambdaEntry<H extends Handler> = H & ((event: Parameters<H>[0], context?: Context) => ReturnType<H>);

/**
 * A Lambda entry point with Powertools' middy middleware: the Lambda context in every log line
 * and the keys a handler appended reset after the invocation; metrics (and the cold start) flushed
 * after it, also when it throws; the handler traced in X-Ray. Middy answers with a TimeoutError
 * 5 ms before the function's timeout, so metrics and traces still go out.
 */
export function withPowertools<H extends Handler>(handler: H): LambdaEntry<H> {
  return middy(handler as unknown as (event: unknown, context: Context) => Promise<unknown>)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(captureHandler()) as unknown as LambdaEntry<H>;
}
