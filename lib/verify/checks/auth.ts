// JWT routes: a missing, malformed, forged or expired token gets 401 (with WWW-Authenticate where the plan sets it), a token without the scope 403.
import { isRestGateway, type RoutePlan } from '../../plan/types';
import type { CheckContext } from '../context';
import { judge } from '../outcome';
import { credentialHeaders, routeRequest, sampleMethod, samplePath } from '../route-requests';
import { forgeToken } from '../tokens';
import type { VerifyCheck } from '../types';

/** Not a JWT at all: three segments that are no base64url JSON. */
const MALFORMED_TOKEN = 'gatehouse-verify.not-a.jwt';

export function authChecks(ctx: CheckContext, route: RoutePlan): VerifyCheck[] {
  const path = samplePath(route);
  const method = sampleMethod(route);
  // The 401 must say what went wrong (RFC 6750) where the plan overrides API Gateway's UNAUTHORIZED response.
  const wantsChallenge = isRestGateway(ctx.gateway) && ctx.gateway.gatewayResponses.includes('UNAUTHORIZED');
  const unauthorized = (status: number, headers: Readonly<Record<string, string>>) =>
    status !== 401 ? `expected 401, got ${status}` : wantsChallenge && !/^Bearer\b/i.test(headers['www-authenticate'] ?? '') ? 'no WWW-Authenticate: Bearer on the 401' : undefined;
  const passed = wantsChallenge ? '401 with WWW-Authenticate' : '401';
  const send = (authorization: string | undefined) =>
    routeRequest(path, method, { ...credentialHeaders(ctx.gateway, route, ctx.credentials, 'token'), ...(authorization ? { authorization } : {}) });
  const id = (what: string) => `auth.${what}@${route.id}`;
  const on = `${method} ${path}`;

  const checks: VerifyCheck[] = [
    { id: id('missing-token'), family: 'auth', description: `${on} without a token gets ${passed}`, run: async (c) => judge(await c.send(send(undefined)), unauthorized, passed) },
    { id: id('malformed-token'), family: 'auth', description: `${on} with a token that is no JWT gets ${passed}`, run: async (c) => judge(await c.send(send(`Bearer ${MALFORMED_TOKEN}`)), unauthorized, passed) },
    {
      id: id('forged-token'),
      family: 'auth',
      description: `${on} with a token signed by a key the issuer never published gets ${passed}`,
      run: async (c) => judge(await c.send(send(`Bearer ${await forgeToken(ctx.gateway, ctx.credentials.token)}`)), unauthorized, passed),
    },
    {
      id: id('expired-token'),
      family: 'auth',
      description: `${on} with an expired token gets ${passed}`,
      ...(ctx.credentials.expiredToken ? {} : { skip: 'give an expired token of the issuer with --expired-token' }),
      run: async (c) => judge(await c.send(send(`Bearer ${ctx.credentials.expiredToken}`)), unauthorized, passed),
    },
  ];
  const required = [...route.features.scopes.map((s) => `scope ${s}`), ...(route.features.roles.length ? [`one of the roles ${route.features.roles.join(', ')}`] : [])];
  if (required.length) {
    checks.push({
      id: id('missing-scope'),
      family: 'auth',
      description: `${on} with a valid token lacking ${required.join(' and ')} gets 403`,
      ...(ctx.credentials.tokenWithoutScope ? {} : { skip: 'give a valid token without the route\'s scope or role with --token-without-scope' }),
      run: async (c) => judge(await c.send(send(`Bearer ${ctx.credentials.tokenWithoutScope}`)), (s) => (s === 403 ? undefined : `expected 403, got ${s}`), '403'),
    });
  }
  return checks;
}

/**
 * An HTTP API Lambda authorizer refuses a bad token by throwing `Unauthorized`, which API Gateway is expected to
 * answer with 401. AWS documents that for REST authorizers; for HTTP APIs it documents only `isAuthorized: false`
 * (answered 403), so this is checked on every deploy:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */
export function httpLambdaUnauthorizedCheck(ctx: CheckContext): VerifyCheck[] {
  if (ctx.gateway.flavor !== 'http' || !ctx.gateway.authorizer) return [];
  const route = ctx.gateway.routes.find((r) => r.features.auth === 'jwt');
  if (!route) return [];
  const path = samplePath(route);
  const method = sampleMethod(route);
  return [
    {
      id: 'auth.http-lambda-unauthorized',
      family: 'auth',
      description: `the HTTP API Lambda authorizer's thrown "Unauthorized" (a forged token on ${method} ${path}) is answered 401, not 403 or 500`,
      async run(client) {
        const authorization = `Bearer ${await forgeToken(ctx.gateway, ctx.credentials.token)}`;
        const probe = await client.send(routeRequest(path, method, { ...credentialHeaders(ctx.gateway, route, ctx.credentials, 'token'), authorization }));
        return judge(probe, (s) => (s === 401 ? undefined : `expected 401, got ${s}: the thrown Unauthorized is not answered as a 401 here`), '401');
      },
    },
  ];
}
