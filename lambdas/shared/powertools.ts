import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Metrics as MetricsPort, OperationLog } from '../domain/ports/platform.ts';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'event-stream';

/** The one logger every handler shares (service name from POWERTOOLS_SERVICE_NAME). */
export const logger = new Logger({ serviceName });

/** CloudWatch metrics (EMF), namespace from POWERTOOLS_METRICS_NAMESPACE; flushed by `publishMetrics`. */
export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'EventStream',
});

/** The domain's Metrics port on top of Powertools. */
export const metricsPort: MetricsPort = {
  count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value),
  duration: (name, milliseconds) => metrics.addMetric(name, MetricUnit.Milliseconds, milliseconds),
};

/**
 * The domain's log port on top of the Powertools logger. Fields go on each line rather than through
 * appendKeys, because the records of a batch are processed in parallel and would overwrite each other's keys.
 */
export const operationLog: OperationLog = {
  debug: (message, fields) => logger.debug(message, fields),
  info: (message, fields) => logger.info(message, fields),
  warn: (message, fields) => logger.warn(message, fields),
};

/**
 * Middy middleware that writes the invocation's metrics, if it counted any. Powertools' own `logMetrics`
 * warns on every invocation that counted nothing, which is most idle polls and schedule ticks.
 */
export const publishMetrics = () => {
  const publish = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: publish, onError: publish };
};
