// The API Gateway client the key lifecycle talks through, with retries on throttling and an endpoint override for tests.
import { APIGatewayClient, type APIGatewayClientConfig } from '@aws-sdk/client-api-gateway';

/** The one method the lifecycle needs, so tests can wrap a real client to inject failures. */
export type ApiGatewaySender = Pick<APIGatewayClient, 'send'>;

/**
 * Attempts per call, first one included. The SDK's standard retry strategy backs off exponentially with
 * jitter on TooManyRequestsException and 5xx; API Gateway's management API allows a few calls per second.
 */
export const KEYS_MAX_ATTEMPTS = 6;

export interface KeysClientOptions {
  /** @default - the SDK's region chain (AWS_REGION, profile) */
  readonly region?: string;
  /** e.g. http://127.0.0.1:5000 for moto_server. @default - AWS_ENDPOINT_URL, else the real API */
  readonly endpoint?: string;
  /** @default KEYS_MAX_ATTEMPTS */
  readonly maxAttempts?: number;
  readonly credentials?: APIGatewayClientConfig['credentials'];
}

export function createKeysClient(options: KeysClientOptions = {}): APIGatewayClient {
  return new APIGatewayClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: options.credentials,
    maxAttempts: options.maxAttempts ?? KEYS_MAX_ATTEMPTS,
    retryMode: 'standard',
  });
}
