// What the authorizer logs and counts for a decision, on both flavors: one log line per decision (never the token) and its allow/deny metric, published before the answer goes back.
import { LogLevelThreshold, type Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { DENY_REASON_DIMENSION, METRIC } from '../contract/authorizer-metrics';
import { countMetric, countMetricBy, publishMetrics } from '../shared/observability';
import { isOperational, isTransient, type Decision } from './decision';

export type Recorder = (decision: Decision) => void;

export function createRecorder(log: Logger, metrics: Metrics): Recorder {
  // Powertools reads the environment (X-Ray trace id) on every call, even for a level it will not print.
  const debugEnabled = () => log.level <= LogLevelThreshold.DEBUG;
  return (decision) => {
    const { request, token, reason, policy } = decision;
    const { requestId } = request;
    const rest = request.kind === 'policy';
    if (decision.allow) countMetric(METRIC.allowed, metrics);
    else countMetricBy(METRIC.denied, DENY_REASON_DIMENSION, reason!, metrics);
    if (decision.originHeader) {
      // Never the value: a wrong one may be a real secret from elsewhere, or this one with a typo.
      const where = rest ? {} : { routeKey: request.routeKey, sourceIp: request.sourceIp };
      log.info('request did not come through CloudFront', { requestId, decision: 'deny', reason, header: decision.originHeader, ...where });
    } else if (decision.rejection) {
      // The message is ours or jose's; neither carries the token.
      const fields = { requestId, decision: 'deny', reason, detail: decision.rejection.message };
      if (isTransient(decision)) log.warn('token refused for now: it may pass shortly', fields);
      else if (isOperational(decision)) log.error('token could not be checked', { ...fields, error: causeOf(decision.rejection) });
      else log.info('token refused', fields);
    } else if (token && (token.fresh || !decision.allow || debugEnabled())) {
      // The one case left out is the hot path: a cached token allowed again logs at debug only, so with debug off
      // nothing is built for it. One info line per verified token.
      const { verified, identity } = token;
      const who = {
        requestId,
        sub: verified.claims.sub,
        iss: verified.claims.iss,
        clientId: identity.clientId,
        kid: verified.kid,
        ...(rest ? {} : { routeKey: request.routeKey }),
      };
      const where = rest ? { methodArn: request.methodArn } : {};
      if (decision.allow) {
        const accepted = { ...who, decision: 'allow', ...where, ...(rest ? { granted: token.granted.length } : {}), cached: !token.fresh };
        if (token.fresh) log.info('token accepted', accepted);
        else log.debug('token accepted', accepted);
      } else {
        const fields = { ...who, decision: 'deny', reason, ...where };
        // A REST method the table lacks is a planner/API mismatch; an HTTP API only sends route keys it has.
        if (rest && !policy?.routeKnown) log.warn('method is not in the route table the authorizer was built with', fields);
        else log.info(`token lacks the issuer, scope or role for this ${rest ? 'method' : 'route'}`, fields);
      }
    }
    if (policy && !policy.coversAllRoutes) {
      log.warn('policy covers this method only: cache the authorizer result with TTL 0 for this route table', { requestId });
    }
    publishMetrics(metrics);
  };
}

/** The cause of an error as one line for a log field. */
export function causeOf(err: Error): string | undefined {
  return err.cause instanceof Error ? `${err.cause.name}: ${err.cause.message}` : undefined;
}
