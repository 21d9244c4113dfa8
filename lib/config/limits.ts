// AWS limits the spec and the planner check against, named once so every message quotes the same number.
//
// Sources (AWS docs, "Amazon API Gateway quotas" and "CloudFormation quotas"):
// - REST API integration timeout: 50 ms .. 29,000 ms (raisable for regional APIs only by quota request).
// - Account-level throttle: 10,000 requests/s steady, 5,000 burst, per region, shared by all APIs.
// - Resources per REST API: 300 (adjustable); routes and integrations per HTTP API: 300 each (adjustable).
// - CloudFormation: 500 resources per stack, 1 MB template body (uploaded through S3).

export const REST_INTEGRATION_TIMEOUT_MIN_MS = 50;
export const REST_INTEGRATION_TIMEOUT_MAX_MS = 29_000;

/**
 * Time kept between the proxy's own deadline and API Gateway's integration timeout: the Lambda
 * invocation overhead, building the fallback and returning it. One second is far above what the
 * handler needs (bench:proxy measures well under a millisecond) and below anything a user notices.
 */
export const PROXY_ANSWER_MARGIN_MS = 1_000;

/** The latest the proxy may still be waiting on an upstream. */
export const PROXY_DEADLINE_MAX_MS = REST_INTEGRATION_TIMEOUT_MAX_MS - PROXY_ANSWER_MARGIN_MS;

export const ACCOUNT_DEFAULT_RATE_PER_SECOND = 10_000;
export const ACCOUNT_DEFAULT_BURST = 5_000;
export const REST_RESOURCES_PER_API = 300;
/** HTTP API quotas "Routes per API" and "Integrations per API" (both adjustable on request). */
export const HTTP_ROUTES_PER_API = 300;
export const HTTP_INTEGRATIONS_PER_API = 300;

export const CFN_RESOURCES_PER_STACK = 500;
export const CFN_TEMPLATE_BYTES = 1_000_000;
/** Warn once a stack reaches this share of a CloudFormation limit. */
export const CFN_WARN_RATIO = 0.8;

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
