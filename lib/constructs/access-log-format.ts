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

export function accessLogFormat(): apigw.AccessLogFormat {
  // Quoting every value keeps the line valid JSON even when a field is empty ("-").
  const body = Object.entries(ACCESS_LOG_FIELDS)
    .map(([key, variable]) => `"${key}":"${variable}"`)
    .join(',');
  return apigw.AccessLogFormat.custom(`{${body}}`);
}
