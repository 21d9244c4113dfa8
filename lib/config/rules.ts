// Cross-field rules of a spec (references between sections, conflicts) that one field's schema cannot see.
import { readFileSync } from 'node:fs';
import { checkGatewayAggregates, checkSpecAggregates } from './aggregate-rules';
import type { GatehouseSpec, GatewaySpec } from './schema';
import { uniqueIssues, type RawIssue } from './errors';
import { checkRateLimits } from './rate-limit-rules';
import { checkServiceRules } from './service-rules';
import { didYouMean } from './suggest';
import { checkDomainRules, checkSpecDomains } from './domain-rules';
import { checkEdgeRules } from './edge-rules';
import { jwksFilePath } from './spec-files';
import { checkHttpRules } from './http-rules';
import { checkIssuerRestrictions } from './auth-rules';
import { checkPlaintextUpstreams } from './plaintext-rules';
import { checkRouteConflicts } from './route-rules';
import { checkRouteParameterUses } from './path-parameter-rules';
import { checkLambdaServices } from './lambda-rules';
import { checkPrivateServices } from './private-rules';

/** Returns every cross-field problem of a spec whose fields already passed the schema. */
export function checkSpecRules(spec: GatehouseSpec, baseDir = process.cwd()): RawIssue[] {
  const serviceNames = Object.keys(spec.services);
  return [
    ...Object.entries(spec.services).flatMap(([name, service]) => checkServiceRules(name, service)),
    ...Object.entries(spec.gateways).flatMap(([name, gateway]) => checkGatewayRules(name, gateway, serviceNames, baseDir)),
    ...checkSpecAggregates(spec),
    ...checkSpecDomains(spec),
    ...checkPlaintextUpstreams(spec),
    ...checkPrivateServices(spec),
    ...checkLambdaServices(spec),
    ...checkRouteParameterUses(spec),
  ];
}

/** The rules of one gateway; run on its own so they are reported even when another part of the spec is invalid. */
export function checkGatewayRules(
  gatewayName: string,
  gateway: GatewaySpec,
  /** Names under `services`, or undefined when that section is itself invalid (then references are not checked). */
  serviceNames: readonly string[] | undefined,
  /** Where files named by the spec (validate.body) are resolved from: the config file's directory. */
  baseDir = process.cwd(),
): RawIssue[] {
  const at = ['gateways', gatewayName];
  return [
    ...checkEndpoint(gateway, at),
    ...checkCors(gateway, at),
    ...checkRoutes(gateway, serviceNames, at),
    ...checkPlansAndConsumers(gateway, at),
    ...checkAuth(gateway, at, baseDir),
    ...checkIssuerRestrictions(gateway, at),
    ...checkRateLimits(gateway, at),
    ...checkGatewayAggregates(gateway, serviceNames, at),
    ...checkEdgeRules(gateway, at, baseDir),
    ...checkHttpRules(gateway, at),
    ...checkDomainRules(gateway, at),
  ];
}

function checkAuth(gateway: GatewaySpec, at: string[], baseDir: string): RawIssue[] {
  const issues: RawIssue[] = [];
  const jwt = gateway.auth?.jwt;
  gateway.routes.forEach((route, index) => {
    if (route.auth?.jwt && !jwt) {
      issues.push({
        path: [...at, 'routes', index, 'auth'],
        message: 'this route requires a JWT but the gateway trusts no issuer: add auth.jwt.issuers to the gateway',
      });
    }
  });
  if (jwt?.clientIdAsApiKey) {
    gateway.routes.forEach((route, index) => {
      if (route.apiKey && !route.auth?.jwt) {
        issues.push({
          path: [...at, 'routes', index, 'apiKey'],
          message:
            'with auth.jwt.clientIdAsApiKey the API key comes from the JWT, so a keyed route needs auth: jwt (API Gateway ignores x-api-key headers then)',
        });
      }
    });
  }
  for (const [name, consumer] of Object.entries(gateway.consumers)) {
    const consumerAt = [...at, 'consumers', name, 'clientId'];
    if (jwt?.clientIdAsApiKey && !consumer.clientId) {
      issues.push({
        path: consumerAt,
        message: "set the JWT client id whose calls count against this consumer's plans (auth.jwt.clientIdAsApiKey is on)",
      });
    } else if (!jwt?.clientIdAsApiKey && consumer.clientId) {
      issues.push({ path: consumerAt, message: 'clientId only applies with auth.jwt.clientIdAsApiKey: true; remove it or turn that on' });
    }
  }
  jwt?.issuers.forEach((issuer, index) => {
    const issuerAt = [...at, 'auth', 'jwt', 'issuers', index];
    if (jwt.issuers.findIndex((other) => other.issuer === issuer.issuer) !== index) {
      issues.push({ path: [...issuerAt, 'issuer'], message: `issuer ${issuer.issuer} is listed twice; merge their audiences` });
    }
    if (issuer.jwksFile !== undefined) {
      const problem = jwksFileProblem(issuer.jwksFile, jwksFilePath(issuer.jwksFile, baseDir), baseDir);
      if (problem) issues.push({ path: [...issuerAt, 'jwksFile'], message: problem });
    }
  });
  return issues;
}

/** A baked JWKS must be readable JSON with public keys only: a private key in the bundle would be a leak. */
function jwksFileProblem(file: string, path: string, baseDir: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? `${file} not found (paths are relative to the config file's directory: ${baseDir})`
      : `${file} is not readable JSON: ${(err as Error).message}`;
  }
  const keys = (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0) return `${file} is not a JWKS: expected { "keys": [ ... ] } with at least one key`;
  if (keys.some((k) => typeof k === 'object' && k !== null && 'd' in k)) {
    return `${file} contains a private key ("d"): bake only the issuer's public keys`;
  }
  return undefined;
}

function checkEndpoint(gateway: GatewaySpec, at: string[]): RawIssue[] {
  const { type, vpcEndpointIds } = gateway.endpoint;
  if (type === 'PRIVATE' && !vpcEndpointIds?.length) {
    return [
      {
        path: [...at, 'endpoint', 'vpcEndpointIds'],
        message: 'a PRIVATE API is reachable only through VPC endpoints: list them in vpcEndpointIds (e.g. [vpce-0123456789abcdef0])',
      },
    ];
  }
  if (type !== 'PRIVATE' && vpcEndpointIds?.length) {
    return [
      {
        path: [...at, 'endpoint', 'vpcEndpointIds'],
        message: `vpcEndpointIds only apply to endpoint type PRIVATE (this gateway is ${type}); remove them or set type: PRIVATE`,
      },
    ];
  }
  return [];
}

function checkCors(gateway: GatewaySpec, at: string[]): RawIssue[] {
  const cors = gateway.cors;
  if (!cors) return [];
  const issues: RawIssue[] = [];
  if (cors.credentials && cors.origins.includes('*')) {
    issues.push({
      path: [...at, 'cors', 'origins'],
      message: 'browsers refuse credentials with the "*" origin: list the exact origins, or set credentials: false',
    });
  }
  if (cors.origins.includes('*') && cors.origins.length > 1) {
    issues.push({ path: [...at, 'cors', 'origins'], message: '"*" already allows every origin: use it alone' });
  }
  return issues;
}

function checkRoutes(gateway: GatewaySpec, serviceNames: readonly string[] | undefined, at: string[]): RawIssue[] {
  const issues: RawIssue[] = [];
  gateway.routes.forEach((route, index) => {
    const routeAt = [...at, 'routes', index];
    if (serviceNames && !serviceNames.includes(route.service)) {
      issues.push({
        path: [...routeAt, 'service'],
        message: `no service named "${route.service}" under services${didYouMean(route.service, serviceNames)}`,
      });
    }
    if (route.apiKey && Object.keys(gateway.plans).length === 0) {
      issues.push({
        path: [...routeAt, 'apiKey'],
        message: 'this route requires an API key but the gateway has no plans: add a plan and a consumer on it, or drop apiKey',
      });
    }
    const uniquePaths = new Set(route.paths);
    if (uniquePaths.size !== route.paths.length) {
      issues.push({ path: [...routeAt, 'paths'], message: 'a path is listed twice' });
    }
  });
  return [...uniqueIssues(issues), ...checkRouteConflicts(gateway, at)];
}

function checkPlansAndConsumers(gateway: GatewaySpec, at: string[]): RawIssue[] {
  const issues: RawIssue[] = [];
  const planNames = Object.keys(gateway.plans);
  const keyedRoutes = gateway.routes.filter((r) => r.apiKey);
  const keyedPaths = [...new Set(keyedRoutes.flatMap((r) => r.paths))];
  for (const [planName, plan] of Object.entries(gateway.plans)) {
    plan.routeThrottles.forEach((rt, index) => {
      const rtAt = [...at, 'plans', planName, 'routeThrottles', index];
      if (!keyedPaths.includes(rt.path)) {
        issues.push({
          path: [...rtAt, 'path'],
          message: `"${rt.path}" is not a path of any route with apiKey: true in this gateway; usage-plan throttles only apply to keyed routes${didYouMean(rt.path, keyedPaths)}`,
        });
        return;
      }
      // A throttle on a method the keyed route does not serve would be dropped without a word.
      const served = new Set(keyedRoutes.filter((r) => r.paths.includes(rt.path)).flatMap((r) => r.methods));
      if (served.has('ANY') && !rt.methods.includes('ANY')) {
        issues.push({
          path: [...rtAt, 'methods'],
          message: `the keyed route at ${rt.path} serves ANY, which is one API Gateway method: throttle it with methods: [ANY], or list the route's methods explicitly`,
        });
        return;
      }
      const unserved = rt.methods.includes('ANY') ? [] : rt.methods.filter((m) => !served.has(m));
      if (unserved.length) {
        issues.push({
          path: [...rtAt, 'methods'],
          message: `${unserved.join(', ')} ${rt.path} is not served by a keyed route (it serves ${[...served].join(', ')}); throttle only methods the route serves`,
        });
      }
    });
  }
  for (const [consumerName, consumer] of Object.entries(gateway.consumers)) {
    const twoPlans = checkOnePlanPerConsumer(consumerName, consumer.plans, [...at, 'consumers', consumerName, 'plans']);
    if (twoPlans) issues.push(twoPlans);
    consumer.plans.forEach((planName, index) => {
      if (!planNames.includes(planName)) {
        issues.push({
          path: [...at, 'consumers', consumerName, 'plans', index],
          message: `no plan named "${planName}" in this gateway${didYouMean(planName, planNames)}`,
        });
      }
    });
  }
  return issues;
}

/**
 * A consumer's key on two usage plans of one gateway is one key on two plans of the same API stage: the
 * second CreateUsagePlanKey fails with 409 ConflictException (the error the API reference lists for
 * https://docs.aws.amazon.com/apigateway/latest/api/API_CreateUsagePlanKey.html; seen on a deploy, issue 22)
 * and the stack rolls back. Keys on plans of different gateways (different stages) are fine.
 */
function checkOnePlanPerConsumer(consumerName: string, plans: readonly string[], at: RawIssue['path']): RawIssue | undefined {
  if (plans.length < 2) return undefined;
  const repeated = plans.find((p, i) => plans.indexOf(p) !== i);
  const what = repeated ? `lists plan "${repeated}" twice` : `is on ${plans.length} plans (${plans.join(', ')})`;
  return {
    path: at,
    message:
      `consumer "${consumerName}" ${what}, but API Gateway attaches an API key to at most one usage plan of a gateway's stage ` +
      `(a second plan fails the deploy with 409 ConflictException): keep one plan per consumer per gateway; ` +
      `a caller that needs a second plan is another consumer with its own key`,
  };
}
