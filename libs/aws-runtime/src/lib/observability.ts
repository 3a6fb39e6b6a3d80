import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** Structured JSON logs (Powertools); handlers append ticker and business date as keys. */
export const logger = new Logger({ serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? 'b3lake' });

/** CloudWatch EMF metrics in the b3lake namespace. */
export const metrics = new Metrics({
  namespace: process.env['POWERTOOLS_METRICS_NAMESPACE'] ?? 'b3lake',
  serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? 'b3lake',
});

export { MetricUnit };
