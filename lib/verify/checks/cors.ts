// CORS: preflights succeed without credentials on every CORS route, and the gateway's own errors carry the CORS headers.
import type { CorsSpec } from '../../config/schema';
import type { RoutePlan } from '../../plan/types';
import type { CheckContext } from '../context';
import { isNoRouteAnswer, UNKNOWN_PATH } from '../no-route';
import { judge } from '../outcome';
import { anyRouteServes, credentialHeaders, keysFromHeader, routeRequest, sampleMethod, samplePath } from '../route-requests';
import type { VerifyCheck } from '../types';

/** The Origin checks send when the config allows any: a name no one owns (RFC 2606). */
const ANY_ORIGIN_SAMPLE = 'https://gatehouse-verify.example';

export function requestOrigin(cors: CorsSpec): string {
  return cors.origins.find((o) => o !== '*') ?? ANY_ORIGIN_SAMPLE;
}

/** A browser's preflight: no Authorization, no key, whatever the route requires. */
export function preflightCheck(ctx: CheckContext, route: RoutePlan): VerifyCheck {
  const cors = ctx.gateway.cors!;
  const path = samplePath(route);
  const method = sampleMethod(route);
  const origin = requestOrigin(cors);
  const requested = cors.headers.map((h) => h.toLowerCase());
  const guarded = [route.features.auth === 'jwt' ? 'JWT auth' : '', route.features.apiKey ? 'an API key' : '']
    .filter(Boolean)
    .join(' and ');
  return {
    id: `cors.preflight@${route.id}`,
    family: 'cors',
    description: `OPTIONS ${path} from ${origin} for ${method} succeeds without credentials${guarded ? ` (the route needs ${guarded})` : ''}${route.methods.includes('ANY') ? ' on an ANY route' : ''}`,
    async run(client) {
      const probe = await client.send({
        method: 'OPTIONS',
        path,
        headers: {
          origin,
          'access-control-request-method': method,
          ...(requested.length ? { 'access-control-request-headers': requested.join(',') } : {}),
        },
      });
      return judge(
        probe,
        (status, headers) => {
          if (status !== 200 && status !== 204) return `preflight answered ${status}, expected 200 or 204`;
          const problems = [
            allowOriginProblem(headers, origin, cors),
            listProblem(headers, 'access-control-allow-methods', [method]),
            listProblem(headers, 'access-control-allow-headers', requested),
          ];
          if (cors.credentials && headers['access-control-allow-credentials'] !== 'true')
            problems.push('Access-Control-Allow-Credentials is not "true" although cors.credentials is on');
          return problems.filter(Boolean).join('; ') || undefined;
        },
        'allowed origin, method and headers',
      );
    },
  };
}

/** Errors API Gateway makes itself (no route, 401, 403 on a key) carry the CORS headers, so a browser can read them. */
export function gatewayErrorChecks(ctx: CheckContext): VerifyCheck[] {
  const cors = ctx.gateway.cors;
  if (!cors) return [];
  const origin = requestOrigin(cors);
  const checks: VerifyCheck[] = [];
  const expectCors = (expected: readonly number[]) => (status: number, headers: Readonly<Record<string, string>>) =>
    !expected.includes(status) ? `expected ${expected.join(' or ')}, got ${status}` : allowOriginProblem(headers, origin, cors);

  checks.push({
    id: 'cors.gateway-error.no-route',
    family: 'cors',
    description: `the gateway's 403/404 for ${UNKNOWN_PATH} carries Access-Control-Allow-Origin`,
    ...(anyRouteServes(ctx.gateway, UNKNOWN_PATH) ? { skip: 'a route takes every path (a greedy root route)' } : {}),
    run: async (client) =>
      judge(await client.send({ method: 'GET', path: UNKNOWN_PATH, headers: { origin } }), expectCors([403, 404]), 'CORS headers present'),
  });

  const jwtRoute = ctx.gateway.routes.find((r) => r.features.auth === 'jwt' && r.features.cors);
  if (jwtRoute) {
    const path = samplePath(jwtRoute);
    checks.push({
      id: 'cors.gateway-error.401',
      family: 'cors',
      description: `the 401 for ${sampleMethod(jwtRoute)} ${path} without a token carries Access-Control-Allow-Origin`,
      run: async (client) =>
        judge(
          await client.send(
            routeRequest(path, sampleMethod(jwtRoute), { origin, ...credentialHeaders(ctx.gateway, jwtRoute, ctx.credentials, 'token') }),
          ),
          expectCors([401]),
          'CORS headers present',
        ),
    });
  }

  const keyed = keysFromHeader(ctx.gateway) ? ctx.gateway.routes.find((r) => r.features.apiKey && r.features.cors) : undefined;
  if (keyed) {
    const path = samplePath(keyed);
    const needsToken = keyed.features.auth === 'jwt' && !ctx.credentials.token;
    checks.push({
      id: 'cors.gateway-error.403-key',
      family: 'cors',
      description: `the 403 for ${sampleMethod(keyed)} ${path} without an API key carries Access-Control-Allow-Origin`,
      ...(needsToken ? { skip: 'the keyed route also needs a token: give --token' } : {}),
      run: async (client) => {
        const probe = await client.send(
          routeRequest(path, sampleMethod(keyed), { origin, ...credentialHeaders(ctx.gateway, keyed, ctx.credentials, 'apiKey') }),
        );
        if (probe.response && isNoRouteAnswer(probe.response, ctx.noRoute))
          return judge(probe, () => 'the gateway answered as for a route it does not serve', '');
        return judge(probe, expectCors([403]), 'CORS headers present');
      },
    });
  }
  return checks;
}

function allowOriginProblem(headers: Readonly<Record<string, string>>, origin: string, cors: CorsSpec): string | undefined {
  const allowed = headers['access-control-allow-origin'];
  if (allowed === undefined) return 'no Access-Control-Allow-Origin';
  if (allowed === origin || (allowed === '*' && cors.origins.includes('*') && !cors.credentials)) return undefined;
  return `Access-Control-Allow-Origin is "${allowed}", expected "${origin}"`;
}

function listProblem(headers: Readonly<Record<string, string>>, name: string, wanted: readonly string[]): string | undefined {
  const value = headers[name];
  if (value === undefined) return wanted.length ? `no ${name}` : undefined;
  const listed = new Set(value.split(',').map((v) => v.trim().toLowerCase()));
  if (listed.has('*')) return undefined;
  const missing = wanted.filter((w) => !listed.has(w.toLowerCase()));
  return missing.length ? `${name} lacks ${missing.join(', ')}` : undefined;
}
