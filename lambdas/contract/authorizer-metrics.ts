// What the JWT authorizer publishes, named once for the handler and for the gateway's dashboard.

/**
 * Metric names. Deny counts carry a `reason` dimension: a RejectionCode (401), for a valid token
 * `insufficient_scope` / `issuer_not_accepted` / `route_not_configured` (403), or `origin_verify` (403) for a request on an
 * HTTP API without CloudFront's origin-verify value, whose token is not even looked at.
 */
export const METRIC = {
  allowed: 'AuthorizerAllowed',
  denied: 'AuthorizerDenied',
  jwksFetch: 'JwksFetches',
  discoveryFetch: 'OidcDiscoveryFetches',
  tokenCacheHit: 'TokenCacheHits',
} as const;

/** The dimension of `METRIC.denied` that says why. */
export const DENY_REASON_DIMENSION = 'reason';

/** POWERTOOLS_SERVICE_NAME of a gateway's authorizer: the `service` dimension of its metrics. */
export function authorizerServiceName(gatewayName: string): string {
  return `gatehouse-authorizer-${gatewayName}`;
}
