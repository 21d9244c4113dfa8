// Keyed routes: a request without a key, or with one no usage plan knows, gets API Gateway's 403.
import type { RoutePlan } from '../../plan/types';
import { evidenceOf } from '../client';
import type { CheckContext } from '../context';
import { isNoRouteAnswer } from '../no-route';
import { fail, judge, skip } from '../outcome';
import { credentialHeaders, keysFromHeader, routeRequest, sampleMethod, samplePath } from '../route-requests';
import type { VerifyCheck } from '../types';

/** As long as a real key (API Gateway's are 20+ characters), so only its value can be wrong. */
const WRONG_KEY = 'gatehouse-verify-no-such-key-0000000000';

export function apiKeyChecks(ctx: CheckContext, route: RoutePlan): VerifyCheck[] {
  if (!route.features.apiKey) return [];
  const on = `${sampleMethod(route)} ${samplePath(route)}`;
  const base = { family: 'api-keys' as const };
  if (!keysFromHeader(ctx.gateway)) {
    const why = "the key comes from the token's client id (apiKeySource AUTHORIZER), not from x-api-key";
    return [
      {
        ...base,
        id: `api-keys.missing@${route.id}`,
        description: `${on} without an API key gets 403`,
        skip: why,
        run: () => Promise.resolve(skip(why)),
      },
    ];
  }
  const needsToken =
    route.features.auth === 'jwt' && !ctx.credentials.token
      ? { skip: 'the route also needs a token (the authorizer answers first): give --token' }
      : {};
  const refused = (key: string | undefined) => async (client: Parameters<VerifyCheck['run']>[0]) => {
    const headers = { ...credentialHeaders(ctx.gateway, route, ctx.credentials, 'apiKey'), ...(key ? { 'x-api-key': key } : {}) };
    const probe = await client.send(routeRequest(samplePath(route), sampleMethod(route), headers));
    if (probe.response && isNoRouteAnswer(probe.response, ctx.noRoute))
      return fail('the gateway answered as for a route it does not serve', evidenceOf(probe));
    return judge(probe, (s) => (s === 403 ? undefined : `expected 403, got ${s}`), '403');
  };
  return [
    {
      ...base,
      ...needsToken,
      id: `api-keys.missing@${route.id}`,
      description: `${on} without an API key gets 403`,
      run: refused(undefined),
    },
    {
      ...base,
      ...needsToken,
      id: `api-keys.wrong@${route.id}`,
      description: `${on} with a key no usage plan knows gets 403`,
      run: refused(WRONG_KEY),
    },
  ];
}
