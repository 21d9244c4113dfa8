// Lambda REQUEST authorizer of an HTTP API behind CloudFront (payload 2.0, simple responses): allows a request only when it carries CloudFront's origin-verify secret.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { countMetric, logger as sharedLogger, metrics as sharedMetrics, publishMetrics } from '../shared/observability';
import { ORIGIN_VERIFY_HEADER, originVerifierFromEnv, type OriginVerifier } from '../shared/origin-verify';
import { METRIC } from '../contract/origin-verify-metrics';

export { METRIC } from '../contract/origin-verify-metrics';

export interface OriginVerifyDeps {
  readonly verifier: OriginVerifier;
  /** @default the shared Powertools logger */
  readonly logger?: Logger;
  /** @default the shared Powertools metrics */
  readonly metrics?: Metrics;
}

/** What an HTTP API reads from a Lambda authorizer with simple responses; nothing goes to the integration. */
export interface OriginVerifyResult {
  readonly isAuthorized: boolean;
}

export type OriginVerifyHandler = (event: APIGatewayRequestAuthorizerEventV2) => Promise<OriginVerifyResult>;

/** Payload 2.0 hands authorizers header names lower-cased. */
const HEADER = ORIGIN_VERIFY_HEADER.toLowerCase();

/**
 * A verifier that cannot read the secret rejects, and so does the handler: API Gateway answers 500 and
 * caches nothing, where a deny would be cached per header value and lock CloudFront out for the TTL.
 */
export function createHandler(deps: OriginVerifyDeps): OriginVerifyHandler {
  const log = deps.logger ?? sharedLogger;
  const metrics = deps.metrics ?? sharedMetrics;
  return async (event) => {
    const value = event.headers?.[HEADER];
    try {
      const isAuthorized = await deps.verifier.matches(value);
      if (!isAuthorized) {
        countMetric(METRIC.refused, metrics);
        // Never the value: a wrong one may be a real secret from elsewhere, or this one with a typo.
        log.info('request did not come through CloudFront', {
          requestId: event.requestContext?.requestId,
          sourceIp: event.requestContext?.http?.sourceIp,
          routeKey: event.routeKey,
          decision: 'deny',
          reason: value ? 'header_mismatch' : 'header_missing',
        });
      }
      return { isAuthorized };
    } finally {
      publishMetrics(metrics);
    }
  };
}

/** The Lambda entry point: the secret's ARN from the environment, its values cached for the container. */
export const handler: OriginVerifyHandler = createHandler({ verifier: originVerifierFromEnv() });
