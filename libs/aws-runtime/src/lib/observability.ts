import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';

const serviceName = process.env['POWERTOOLS_SERVICE_NAME'] ?? 'b3lake';

/**
 * Structured JSON logs (Powertools). Handlers append the ticker and business date as keys; the
 * middleware (`withPowertools`) resets them after every invocation, so none leaks into the next.
 */
export const logger = new Logger({ serviceName });

/**
 * Metrics' own warnings go through the logger. An invocation with nothing to count (a holiday, the
 * finalize "resolve" call) is normal here, so "No application metrics to publish" is only debug.
 */
const metricsLog = {
  debug: (message: string) => logger.debug(message),
  info: (message: string) => logger.info(message),
  warn: (message: string) =>
    message.startsWith('No application metrics') ? logger.debug(message) : logger.warn(message),
  error: (message: string) => logger.error(message),
};

/** CloudWatch EMF metrics in the b3lake namespace, flushed by the middleware after every invocation. */
export const metrics = new Metrics({
  namespace: process.env['POWERTOOLS_METRICS_NAMESPACE'] ?? 'b3lake',
  serviceName,
  logger: metricsLog,
});

let loadedTracer: Promise<Tracer> | undefined;

/**
 * The X-Ray tracer, loaded by the first invocation rather than at init. Its X-Ray SDK (~120 KB of
 * each bundle, left unevaluated until then) takes ~35–40 ms to load: at init it would push most
 * functions past the cold-init budget (2× a bare `node`, `nx run bench:lambda`). Tracing is on only
 * inside Lambda (`AWS_EXECUTION_ENV`) unless POWERTOOLS_TRACE_ENABLED=false; elsewhere it does nothing.
 */
export function tracer(): Promise<Tracer> {
  return (loadedTracer ??= import('@aws-lambda-powertools/tracer').then(({ Tracer }) => new Tracer({ serviceName })));
}

export { MetricUnit };
