// What every check generator reads: the gateway's plan, the caller's credentials and what the run has learnt so far.
import type { GatewayPlan } from '../plan/types';
import type { Credentials } from './route-requests';

export interface VerifyCredentials extends Credentials {
  readonly tokenWithoutScope?: string;
  readonly expiredToken?: string;
}

/** The gateway's own answer to a path no route serves, learnt by the first check; later checks tell it from an upstream's 404. */
export interface NoRouteMemory {
  signature?: { readonly status: number; readonly body: string };
}

export interface CheckContext {
  readonly gateway: GatewayPlan;
  readonly credentials: VerifyCredentials;
  readonly executeApiUrl?: string;
  readonly includeRateLimits: boolean;
  readonly maxRateLimitRequests: number;
  readonly noRoute: NoRouteMemory;
}
