export { createLogger, currentRequestId, LOG_LEVELS, REDACTED_PATHS, requestIdOf, silentLogger, withRequestId, type LineSink, type Logger, type LoggerOptions, type LogLevel } from './log.ts';
export { createMetrics, hasMetricsToken, type Metrics } from './metrics.ts';
