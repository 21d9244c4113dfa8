// The planner's first stage output: each service resolved once (targets, timing, resilience, backend, why a proxy is needed), for routes, proxies and aggregates to read.
import type { ProxyConfig, ProxyTarget, VersionRule } from '../../lambdas/contract/proxy-config';
import type { RetryPolicy } from '../../lambdas/contract/retry-policy';
import type { PrivateSpec } from '../config/private-schema';
import type { SharedStateUses } from './proxy-timing';
import type { ProxyPlan } from './types';

/** The flavor of the gateway a service is reached from: it picks the payload version of a Lambda backend. */
export type ServiceFlavor = 'rest' | 'http';

/** How long the service's proxy may take, with the shared-state tables its requests wait on. */
export interface ProxyTiming {
  readonly stateUses: SharedStateUses;
  readonly stateWaitMs: number;
  /** The proxy's own deadline for all attempts and backoffs. */
  readonly deadlineMs: number;
  /** API Gateway's integration timeout for the proxy: the deadline, the shared-state waits and the answer margin. */
  readonly integrationTimeoutMs: number;
}

/** One service as every later stage needs it; nothing after this stage reads the service's config. */
export interface ServicePlan {
  readonly name: string;
  /** What answers: an HTTPS URL (or weighted targets), a Lambda function, or a private service behind a VPC link. */
  readonly backend: 'url' | 'lambda' | 'private';
  /** The private backend as configured (its NLB, listener or Cloud Map service, VPC link, subnets): the VPC-link stage reads it. */
  readonly private?: PrivateSpec;
  /** Whether API Gateway presents the stage's client certificate to the upstream (direct routes only). */
  readonly clientCertificate: boolean;
  /** The upstreams as the proxy and the aggregator call them, per gateway flavor (a Lambda's payload version differs). */
  readonly targets: Readonly<Record<ServiceFlavor, readonly ProxyTarget[]>>;
  readonly versionRules: readonly VersionRule[];
  /** One attempt's timeout. */
  readonly timeoutMs: number;
  /** Undefined: a single attempt. */
  readonly retry?: RetryPolicy;
  readonly retryBudgetRatio: number;
  readonly circuitBreaker?: ProxyConfig['circuitBreaker'];
  readonly transform: ProxyConfig['transform'];
  readonly fallback?: ProxyConfig['fallback'];
  readonly lastGood?: ProxyConfig['lastGood'];
  /**
   * Why every route of the service goes through the resilient proxy Lambda; empty when API Gateway's own
   * integration can serve it. A route may add its own reasons (exact rate limits, validation on an HTTP API).
   */
  readonly proxyReasons: readonly string[];
  /** Constant request headers a direct route sets as static integration mappings (the one transform API Gateway does itself). */
  readonly staticRequestHeaders?: Readonly<Record<string, string>>;
  /** The proxy's timing without and with the rate-limit counter table (a gateway's routes of the service decide which). */
  readonly proxyTiming: { readonly unlimited: ProxyTiming; readonly rateLimited: ProxyTiming };
  /** The proxy function's settings. */
  readonly proxyFunction: Pick<ProxyPlan, 'memoryMb' | 'reservedConcurrency' | 'vpc'>;
  /** Service features an aggregate part bypasses: it calls the first target with the service's timeout, retries and breaker only. */
  readonly partIgnores: readonly string[];
}

/** Every service of the config, by name. */
export type ServicePlans = ReadonlyMap<string, ServicePlan>;
