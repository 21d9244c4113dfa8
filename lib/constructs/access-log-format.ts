// The JSON access-log line every Gatehouse stage writes: who called what, how it went, and why it failed.
import * as apigw from 'aws-cdk-lib/aws-apigateway';

/**
 * Fields from API Gateway's $context. No header values are logged, so Authorization and API key
 * values never reach the logs; `apiKeyId` is the key's id, not its value.
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  apiId: '$context.apiId',
  stage: '$context.stage',
  extendedRequestId: '$context.extendedRequestId',
  xrayTraceId: '$context.xrayTraceId',
  requestTime: '$context.requestTimeEpoch',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  caller: '$context.identity.caller',
  user: '$context.identity.user',
  apiKeyId: '$context.identity.apiKeyId',
  httpMethod: '$context.httpMethod',
  route: '$context.resourcePath',
  path: '$context.path',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integration.latency',
  integrationStatus: '$context.integration.status',
  integrationError: '$context.integration.error',
  errorMessage: '$context.error.message',
  errorType: '$context.error.responseType',
  authorizerError: '$context.authorizer.error',
  wafResponseCode: '$context.wafResponseCode',
};

/** REST-only variables: HTTP APIs have no X-Ray trace id, IAM caller, API key or WAF code. */
const REST_ONLY: ReadonlySet<string> = new Set(['xrayTraceId', 'caller', 'user', 'apiKeyId', 'wafResponseCode']);

/**
 * The same line on an HTTP API, where v2 has the variable: the route is the route key, and the
 * integration's own error message follows its error.
 */
export const HTTP_ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(ACCESS_LOG_FIELDS)
    .filter(([key]) => !REST_ONLY.has(key))
    .flatMap(([key, variable]): [string, string][] => {
      if (key === 'route') return [[key, '$context.routeKey']];
      if (key === 'integrationError')
        return [
          [key, variable],
          ['integrationErrorMessage', '$context.integrationErrorMessage'],
        ];
      return [[key, variable]];
    }),
);

/** A JSON log line of `fields`; quoting every value keeps it valid JSON even when a field is empty ("-"). */
export function jsonLogFormat(fields: Readonly<Record<string, string>>): string {
  return `{${Object.entries(fields)
    .map(([key, variable]) => `"${key}":"${variable}"`)
    .join(',')}}`;
}

export function accessLogFormat(): apigw.AccessLogFormat {
  return apigw.AccessLogFormat.custom(jsonLogFormat(ACCESS_LOG_FIELDS));
}
