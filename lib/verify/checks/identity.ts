// Identity headers: what a client sends never reaches the upstream; the REST sentinel and the absent-claim mapping hold.
import { NO_IDENTITY_VALUE } from '../../../lambdas/contract/authorizer-config';
import type { GatewayPlan, RoutePlan } from '../../plan/types';
import { evidenceOf } from '../client';
import type { CheckContext } from '../context';
import { echoedRequest, NEEDS_ECHO } from '../echo';
import { fail, pass, skip } from '../outcome';
import { credentialHeaders, missingCredential, routeRequest, sampleMethod, samplePath } from '../route-requests';
import { claimsOf } from '../tokens';
import type { CheckOutcome, VerifyCheck } from '../types';

/** What a check claims to be in every identity header: an upstream that receives it trusts a client's word. */
export const SPOOFED_IDENTITY = 'gatehouse-verify-spoofed';

type IdentityField = 'sub' | 'roles' | 'scopes' | 'clientId';

/** Identity header (lower case) → the authorizer field it carries, from the plan's mappings and proxies. */
export function identityHeadersOf(gateway: GatewayPlan): ReadonlyMap<string, IdentityField> {
  const out = new Map<string, IdentityField>();
  for (const proxy of gateway.proxies) {
    const names = proxy.config.identityHeaders;
    if (!names) continue;
    out
      .set(names.userId.toLowerCase(), 'sub')
      .set(names.roles.toLowerCase(), 'roles')
      .set(names.scopes.toLowerCase(), 'scopes')
      .set(names.clientId.toLowerCase(), 'clientId');
  }
  for (const route of gateway.routes) {
    if (route.integration.kind !== 'http-proxy') continue;
    for (const [header, source] of Object.entries(route.integration.headers)) {
      const field = /^context\.authorizer\.(sub|roles|scopes|clientId)$/.exec(source)?.[1] as IdentityField | undefined;
      if (field) out.set(header.toLowerCase(), field);
    }
  }
  return out;
}

/** Routes whose requests reach one upstream as sent (not an aggregate's merged parts). */
const forwards = (route: RoutePlan) => route.integration.kind === 'http-proxy' || route.integration.kind === 'lambda-proxy';

export function identityChecks(ctx: CheckContext): VerifyCheck[] {
  const headers = identityHeadersOf(ctx.gateway);
  if (!headers.size) return [];
  const names = [...headers.keys()];
  const checks: VerifyCheck[] = ctx.gateway.routes.filter(forwards).map((route) =>
    echoCheck(ctx, route, {
      id: `identity.client-copies-dropped@${route.id}`,
      description: `identity headers a client sends to ${sampleMethod(route)} ${samplePath(route)} (${names.join(', ')}) never reach the upstream`,
      judgeEcho: (seen) => {
        const leaked = names.filter((n) => seen[n] === SPOOFED_IDENTITY);
        return leaked.length ? `the upstream received the client's ${leaked.join(', ')}` : undefined;
      },
      passed: 'no client value reached the upstream',
    }),
  );

  // REST has no header removal, so a route without JWT auth overwrites them with the static '-' (routes.ts).
  const sentinelRoute = ctx.gateway.routes.find(
    (r) => r.integration.kind === 'http-proxy' && Object.values(r.integration.headers).includes(`'${NO_IDENTITY_VALUE}'`),
  );
  if (sentinelRoute && sentinelRoute.integration.kind === 'http-proxy') {
    const mapped = Object.entries(sentinelRoute.integration.headers)
      .filter(([, v]) => v === `'${NO_IDENTITY_VALUE}'`)
      .map(([h]) => h.toLowerCase());
    checks.push(
      echoCheck(ctx, sentinelRoute, {
        id: 'identity.sentinel',
        description: `a route without JWT auth (${samplePath(sentinelRoute)}) sends the static "${NO_IDENTITY_VALUE}" upstream in ${mapped.join(', ')}, over the client's copies`,
        judgeEcho: (seen) => {
          const wrong = mapped.filter((h) => seen[h] !== NO_IDENTITY_VALUE);
          return wrong.length
            ? `expected "${NO_IDENTITY_VALUE}" in ${wrong.map((h) => `${h} (got ${JSON.stringify(seen[h] ?? null)})`).join(', ')}`
            : undefined;
        },
        passed: `the static "${NO_IDENTITY_VALUE}" arrived`,
      }),
    );
  }

  const jwtRoute = ctx.gateway.routes.find((r) => forwards(r) && r.features.auth === 'jwt');
  if (jwtRoute) checks.push(absentClaimsCheck(ctx, jwtRoute, headers));
  return checks;
}

/**
 * A claim the token lacks maps to `-` behind the Gatehouse Lambda authorizer, REST or HTTP API (it fills every context
 * value, never ''), and to nothing behind the HTTP API's native JWT authorizer; in no case may the client's copy get
 * through. Local runs the same mapping code for both, so only a deployed stage shows what API Gateway does with it.
 */
function absentClaimsCheck(ctx: CheckContext, route: RoutePlan, headers: ReadonlyMap<string, IdentityField>): VerifyCheck {
  const lacking = ctx.credentials.token ? lackingFields(ctx.gateway, ctx.credentials.token) : [];
  const affected = [...headers].filter(([, field]) => lacking.includes(field)).map(([h]) => h);
  const sentinel = ctx.gateway.authorizer !== undefined;
  const check = echoCheck(ctx, route, {
    id: 'identity.absent-claims',
    description: `with a token lacking some identity claims, ${samplePath(route)}'s upstream gets ${sentinel ? `"${NO_IDENTITY_VALUE}"` : 'no value'} for them, never the client's`,
    judgeEcho: (seen) => {
      const wrong = affected.filter((h) => (sentinel ? seen[h] !== NO_IDENTITY_VALUE : seen[h] !== undefined && seen[h] !== ''));
      return wrong.length
        ? `for claims the token lacks: ${wrong.map((h) => `${h} = ${JSON.stringify(seen[h] ?? null)}`).join(', ')}`
        : undefined;
    },
    passed: `claims the token lacks (${lacking.join(', ')}) arrived as ${sentinel ? `"${NO_IDENTITY_VALUE}"` : 'no value'}`,
  });
  if (ctx.credentials.token && !affected.length)
    return { ...check, skip: 'the token carries every identity claim: give one lacking roles or a client id to check their mapping' };
  return check;
}

/** Identity fields the token has no claim for, read as the authorizer reads them. */
function lackingFields(gateway: GatewayPlan, token: string): IdentityField[] {
  const claims = claimsOf(token) ?? {};
  const config = gateway.authorizer?.config;
  // The native JWT authorizer maps sub, scope and client_id; roles have no standard claim and are always removed.
  const sources: Record<IdentityField, readonly string[]> = config
    ? { sub: ['sub'], roles: config.roleClaims, scopes: config.scopeClaims, clientId: config.clientIdClaims }
    : { sub: ['sub'], roles: [], scopes: ['scope'], clientId: ['client_id'] };
  return (Object.keys(sources) as IdentityField[]).filter((field) => !sources[field].some((claim) => present(claims[claim])));
}

const present = (value: unknown) => value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);

interface EchoCheckSpec {
  readonly id: string;
  readonly description: string;
  readonly judgeEcho: (seen: Readonly<Record<string, string>>) => string | undefined;
  readonly passed: string;
}

/** Sends every identity header with a spoofed value (and the caller's credentials), then judges what the echo saw. */
function echoCheck(ctx: CheckContext, route: RoutePlan, spec: EchoCheckSpec): VerifyCheck {
  const names = [...identityHeadersOf(ctx.gateway).keys()];
  const missing = missingCredential(ctx.gateway, route, ctx.credentials);
  return {
    id: spec.id,
    family: 'identity',
    description: spec.description,
    ...(missing ? { skip: missing } : {}),
    async run(client): Promise<CheckOutcome> {
      const spoofed = Object.fromEntries(names.map((n) => [n, SPOOFED_IDENTITY]));
      const probe = await client.send(
        routeRequest(samplePath(route), sampleMethod(route), { ...spoofed, ...credentialHeaders(ctx.gateway, route, ctx.credentials) }),
      );
      if (!probe.response) return fail(`no answer: ${probe.error}`, evidenceOf(probe));
      const echo = echoedRequest(probe.response);
      if (!echo) return skip(NEEDS_ECHO, evidenceOf(probe));
      const upstream = Object.fromEntries(names.map((n) => [n, echo.headers[n] ?? null]));
      const problem = spec.judgeEcho(echo.headers);
      return problem ? fail(problem, evidenceOf(probe, upstream)) : pass(spec.passed, evidenceOf(probe, upstream));
    },
  };
}
