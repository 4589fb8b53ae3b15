import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Metrics as MetricsPort } from '../domain/ports.ts';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'event-stream';

/** The one logger every handler shares (service name from POWERTOOLS_SERVICE_NAME). */
export const logger = new Logger({ serviceName });

/** CloudWatch metrics (EMF), namespace from POWERTOOLS_METRICS_NAMESPACE; flushed by `logMetrics`. */
export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'EventStream',
});

/** The domain's Metrics port on top of Powertools. */
export const metricsPort: MetricsPort = {
  count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value),
};
