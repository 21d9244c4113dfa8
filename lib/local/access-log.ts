// One access-log line per request, in the JSON format the deployed stage writes (lib/constructs/access-log-format.ts).
import { ACCESS_LOG_FIELDS, HTTP_ACCESS_LOG_FIELDS } from '../constructs/access-log-format';
import type { Flavor } from './assembly';
import type { LocalRequest } from './request';

/** `$context` variables by name without the `$context.` prefix, e.g. `status`, `identity.sourceIp`. */
export type ContextValues = Record<string, string | number | undefined>;

export function accessLogLine(flavor: Flavor, values: ContextValues): string {
  const fields = flavor === 'rest' ? ACCESS_LOG_FIELDS : HTTP_ACCESS_LOG_FIELDS;
  const line: Record<string, string> = {};
  for (const [key, variable] of Object.entries(fields)) {
    const value = values[variable.replace(/^\$context\./, '')];
    // API Gateway writes "-" for a variable without a value; every value is quoted in the format.
    line[key] = value === undefined || value === '' ? '-' : String(value);
  }
  return JSON.stringify(line);
}

/** What every request's line starts from, before routing adds status, route and errors: the same on both flavors. */
export function requestContext(r: LocalRequest, apiId: string, stage: string): ContextValues {
  return {
    requestId: r.requestId,
    apiId,
    stage,
    extendedRequestId: r.requestId,
    requestTimeEpoch: r.startedAt,
    'identity.sourceIp': r.sourceIp,
    'identity.userAgent': r.userAgent,
    httpMethod: r.method,
    path: r.rawPath,
    protocol: 'HTTP/1.1',
  };
}
