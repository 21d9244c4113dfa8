// A silent Powertools logger and disabled metrics for benchmarks: handlers still record and "publish" as in Lambda, nothing is written.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export function quietDeps(): { logger: Logger; metrics: Metrics } {
  const saved = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    const logger = new Logger({ serviceName: 'bench', logLevel: 'SILENT' });
    return { logger, metrics: new Metrics({ namespace: 'Bench', serviceName: 'bench', logger }) };
  } finally {
    if (saved === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = saved;
  }
}
