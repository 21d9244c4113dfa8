// Routes and methods: each route answers on its methods, other methods and unknown paths get the gateway's refusal.
import type { RoutePlan } from '../../plan/types';
import { evidenceOf } from '../client';
import type { CheckContext } from '../context';
import { isNoRouteAnswer, UNKNOWN_PATH } from '../no-route';
import { fail, judge, pass, skip } from '../outcome';
import { anyRouteServes, credentialHeaders, missingCredential, routeRequest, samplePath, unservedMethod } from '../route-requests';
import type { VerifyCheck } from '../types';

/** Runs first: its answer is the gateway's "no route" signature the method checks compare against. */
export function unknownPathCheck(ctx: CheckContext): VerifyCheck {
  const base = {
    id: 'routes.unknown-path-refused',
    family: 'routes' as const,
    description: `a path no route serves (${UNKNOWN_PATH}) gets the gateway's 403/404`,
  };
  if (anyRouteServes(ctx.gateway, UNKNOWN_PATH))
    return { ...base, skip: 'a route takes every path (a greedy root route)', run: () => Promise.resolve(skip('')) };
  return {
    ...base,
    async run(client) {
      const probe = await client.send({ method: 'GET', path: UNKNOWN_PATH });
      if (probe.response && (probe.response.status === 403 || probe.response.status === 404)) {
        ctx.noRoute.signature = { status: probe.response.status, body: probe.response.body };
      }
      return judge(
        probe,
        (status) => (status === 403 || status === 404 ? undefined : `expected 403 or 404, got ${status}`),
        'refused by the gateway',
      );
    },
  };
}

export function methodChecks(ctx: CheckContext, route: RoutePlan): VerifyCheck[] {
  const methods = route.methods.includes('ANY') ? ['ANY'] : route.methods;
  return [...methods.map((m) => answersCheck(ctx, route, m)), refusesOthersCheck(ctx, route)];
}

/**
 * The route's method reaches past the gateway's routing. Without the credentials it needs, the refusal that
 * proves the method exists is expected instead: 401 from the authorizer, 403 from the key check.
 */
function answersCheck(ctx: CheckContext, route: RoutePlan, method: string): VerifyCheck {
  const sent = method === 'ANY' ? 'GET' : method;
  const path = samplePath(route);
  const missing = missingCredential(ctx.gateway, route, ctx.credentials);
  return {
    id: `methods.answers@${route.id}/${method}`,
    family: 'methods',
    description: `${sent} ${path} is routed (not the gateway's 403/404)${method === 'ANY' ? ' (an ANY route, tried with GET)' : ''}`,
    async run(client) {
      const probe = await client.send(routeRequest(path, sent, credentialHeaders(ctx.gateway, route, ctx.credentials)));
      const evidence = evidenceOf(probe);
      const res = probe.response;
      if (!res) return fail(`no answer: ${probe.error}`, evidence);
      if (isNoRouteAnswer(res, ctx.noRoute)) return fail(`the gateway answered ${res.status} as for a route it does not serve`, evidence);
      if (missing) {
        const expected = route.features.auth === 'jwt' && !ctx.credentials.token ? 401 : 403;
        return res.status === expected
          ? pass(`routed; refused with ${expected} without credentials (${missing})`, evidence)
          : fail(`expected ${expected} without credentials, got ${res.status}`, evidence);
      }
      if (res.status === 401 || res.status === 403)
        return fail(`refused with ${res.status} although the credentials given should pass (or the upstream refused)`, evidence);
      if (res.status >= 500) return fail(`answered ${res.status}`, evidence);
      return pass(`answered ${res.status}`, evidence);
    },
  };
}

function refusesOthersCheck(ctx: CheckContext, route: RoutePlan): VerifyCheck {
  const path = samplePath(route);
  const other = unservedMethod(ctx.gateway, path);
  const base = { id: `methods.refuses-others@${route.id}`, family: 'methods' as const };
  if (!other)
    return {
      ...base,
      description: `methods not configured on ${path} are refused`,
      skip: 'an ANY route serves every method here',
      run: () => Promise.resolve(skip('')),
    };
  return {
    ...base,
    description: `${other} ${path}, not configured, is refused with 403/404/405`,
    async run(client) {
      // With the credentials, so only the missing method can explain a refusal.
      const probe = await client.send(routeRequest(path, other, credentialHeaders(ctx.gateway, route, ctx.credentials)));
      return judge(
        probe,
        (status) => ([403, 404, 405].includes(status) ? undefined : `expected 403, 404 or 405, got ${status}`),
        'refused',
      );
    },
  };
}
