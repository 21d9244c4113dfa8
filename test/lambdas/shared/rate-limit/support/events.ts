// Minimal REST API (v1) proxy events for the rate-limit tests: only the fields the client key reads.
import type { ClientKeyEvent } from '../../../../../lambdas/shared/rate-limit/client-key';

export interface EventParts {
  readonly sourceIp?: string;
  readonly apiKeyId?: string;
  readonly authorizer?: Record<string, unknown>;
  readonly headers?: Record<string, string>;
  readonly multiValueHeaders?: Record<string, string[]>;
}

export function proxyEvent(parts: EventParts = {}): ClientKeyEvent {
  return {
    headers: parts.headers ?? {},
    multiValueHeaders: parts.multiValueHeaders ?? {},
    requestContext: {
      identity: {
        sourceIp: parts.sourceIp ?? '203.0.113.7',
        apiKeyId: parts.apiKeyId ?? null,
      } as ClientKeyEvent['requestContext']['identity'],
      authorizer: parts.authorizer ?? null,
    },
  };
}
