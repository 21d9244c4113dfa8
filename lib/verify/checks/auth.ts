// JWT routes: a missing token gets 401 (with WWW-Authenticate where the plan sets it); a malformed, forged or expired one 401, or 403 behind an HTTP API Lambda authorizer; a token without the scope 403.
import { isRestGateway, type GatewayPlan, type RoutePlan } from '../../plan/types';
import type { CheckContext } from '../context';
import { judge } from '../outcome';
import { credentialHeaders, routeRequest, sampleMethod, samplePath } from '../route-requests';
import { claimsOf, forgeToken } from '../tokens';
import type { VerifyCheck } from '../types';

/** Not a JWT at all: three segments that are no base64url JSON. */
const MALFORMED_TOKEN = 'gatehouse-verify.not-a.jwt';

/**
 * What a refused token gets depends on the authorizer, each in the form AWS documents. REST (Lambda authorizer) and the
 * HTTP API's native JWT authorizer answer 401. An HTTP API Lambda authorizer with simple responses answers a refused
 * token `isAuthorized: false`, which the API turns into 403: AWS documents a thrown `Unauthorized` as 401 for REST
 * authorizers only. On every flavor a request without the token is 401, from the API itself when the token is an
 * identity source: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */
function refusedTokenStatus(gateway: GatewayPlan): 401 | 403 {
  return gateway.flavor === 'http' && gateway.authorizer ? 403 : 401;
}

export function authChecks(ctx: CheckContext, route: RoutePlan): VerifyCheck[] {
  const path = samplePath(route);
  const method = sampleMethod(route);
  // The 401 must say what went wrong (RFC 6750) where the plan overrides API Gateway's UNAUTHORIZED response.
  const wantsChallenge = isRestGateway(ctx.gateway) && ctx.gateway.gatewayResponses.includes('UNAUTHORIZED');
  const unauthorized = (status: number, headers: Readonly<Record<string, string>>) =>
    status !== 401
      ? `expected 401, got ${status}`
      : wantsChallenge && !/^Bearer\b/i.test(headers['www-authenticate'] ?? '')
        ? 'no WWW-Authenticate: Bearer on the 401'
        : undefined;
  const missingPassed = wantsChallenge ? '401 with WWW-Authenticate' : '401';
  const refusedStatus = refusedTokenStatus(ctx.gateway);
  const refused =
    refusedStatus === 401
      ? unauthorized
      : (status: number) => (status === 403 ? undefined : `expected 403 (the Lambda authorizer's isAuthorized: false), got ${status}`);
  const passed = refusedStatus === 401 ? missingPassed : '403';
  const send = (authorization: string | undefined) =>
    routeRequest(path, method, {
      ...credentialHeaders(ctx.gateway, route, ctx.credentials, 'token'),
      ...(authorization ? { authorization } : {}),
    });
  const id = (what: string) => `auth.${what}@${route.id}`;
  const on = `${method} ${path}`;

  const checks: VerifyCheck[] = [
    {
      id: id('missing-token'),
      family: 'auth',
      description: `${on} without a token gets ${missingPassed}`,
      run: async (c) => judge(await c.send(send(undefined)), unauthorized, missingPassed),
    },
    {
      id: id('malformed-token'),
      family: 'auth',
      description: `${on} with a token that is no JWT gets ${passed}`,
      run: async (c) => judge(await c.send(send(`Bearer ${MALFORMED_TOKEN}`)), refused, passed),
    },
    {
      id: id('forged-token'),
      family: 'auth',
      description: `${on} with a token signed by a key the issuer never published gets ${passed}`,
      run: async (c) => judge(await c.send(send(`Bearer ${await forgeToken(ctx.gateway, ctx.credentials.token)}`)), refused, passed),
    },
    {
      id: id('expired-token'),
      family: 'auth',
      description: `${on} with an expired token gets ${passed}`,
      ...(!ctx.credentials.expiredToken
        ? { skip: 'give an expired token of the issuer with --expired-token' }
        : refusedStatus === 403 && !carriesGrants(ctx.gateway, route, ctx.credentials.expiredToken)
          ? {
              skip: "the expired token lacks the route's scope or role: its 403 would not tell a refused token from a missing grant; give one that carries them",
            }
          : {}),
      run: async (c) => judge(await c.send(send(`Bearer ${ctx.credentials.expiredToken}`)), refused, passed),
    },
  ];
  const required = [
    ...route.features.scopes.map((s) => `scope ${s}`),
    ...(route.features.roles.length ? [`one of the roles ${route.features.roles.join(', ')}`] : []),
  ];
  if (required.length) {
    checks.push({
      id: id('missing-scope'),
      family: 'auth',
      description: `${on} with a valid token lacking ${required.join(' and ')} gets 403`,
      ...(ctx.credentials.tokenWithoutScope
        ? {}
        : { skip: "give a valid token without the route's scope or role with --token-without-scope" }),
      run: async (c) =>
        judge(
          await c.send(send(`Bearer ${ctx.credentials.tokenWithoutScope}`)),
          (s) => (s === 403 ? undefined : `expected 403, got ${s}`),
          '403',
        ),
    });
  }
  return checks;
}

/**
 * Whether a token's claims carry the route's scopes and one of its roles, read as the Lambda authorizer reads them.
 * Behind an HTTP API Lambda authorizer a refused token and a valid one without the grant both get 403, so only a
 * token that would otherwise be allowed shows the refusal.
 */
function carriesGrants(gateway: GatewayPlan, route: RoutePlan, token: string): boolean {
  const claims = claimsOf(token) ?? {};
  const config = gateway.authorizer?.config;
  const values = (names: readonly string[], split: boolean) =>
    names.flatMap((n) => {
      const v = claims[n];
      return typeof v === 'string'
        ? split
          ? v.split(' ')
          : [v]
        : Array.isArray(v)
          ? v.filter((x): x is string => typeof x === 'string')
          : [];
    });
  const scopes = values(config?.scopeClaims ?? ['scope'], true);
  const roles = values(config?.roleClaims ?? [], false);
  return (
    route.features.scopes.every((s) => scopes.includes(s)) &&
    (!route.features.roles.length || route.features.roles.some((r) => roles.includes(r)))
  );
}
