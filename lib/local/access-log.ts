// One access-log line per request, in the JSON format the deployed stage writes (lib/constructs/access-log-format.ts).
import { ACCESS_LOG_FIELDS, HTTP_ACCESS_LOG_FIELDS } from '../constructs/access-log-format';
import type { Flavor } from './assembly';

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
