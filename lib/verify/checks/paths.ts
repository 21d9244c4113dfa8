// Direct routes: what API Gateway forwards for dot segments in `{proxy}`, which AWS does not document, seen by an echo upstream.
import { posix } from 'node:path';
import type { HttpProxyIntegration, RoutePlan } from '../../plan/types';
import { evidenceOf } from '../client';
import type { CheckContext } from '../context';
import { echoedRequest, NEEDS_ECHO } from '../echo';
import { isNoRouteAnswer } from '../no-route';
import { fail, pass, skip } from '../outcome';
import { credentialHeaders, missingCredential, routeRequest, SAMPLE_SEGMENT, samplePath } from '../route-requests';
import type { VerifyCheck } from '../types';

/** The last segment of the escape attempt: found at the upstream's root, it proves the path left the prefix. */
const OUTSIDE = 'gatehouse-verify-outside';

/**
 * API Gateway substitutes `{proxy}` into a direct route's integration URI
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-http.html) without
 * saying what happens to `..`; the README tells users not to rely on it either way. This check shows what a deployed
 * route forwards: refused, or kept below the route's upstream prefix after the upstream resolves the path.
 */
export function dotSegmentChecks(ctx: CheckContext, route: RoutePlan): VerifyCheck[] {
  const integration = route.integration;
  if (integration.kind !== 'http-proxy') return [];
  const prefix = greedyUpstreamPrefix(route, integration);
  if (prefix === undefined || prefix === '/') return [];
  const ups = '%2e%2e/'.repeat(prefix.split('/').filter(Boolean).length + 2);
  const path = `${samplePath(route).replace(/\/$/, '')}/${SAMPLE_SEGMENT}/${ups}${OUTSIDE}`;
  const missing = missingCredential(ctx.gateway, route, ctx.credentials);
  return [
    {
      id: `paths.dot-segments@${route.id}`,
      family: 'paths',
      description: `GET ${path} is refused or reaches the upstream below ${prefix}, never outside it`,
      ...(missing ? { skip: missing } : {}),
      async run(client) {
        const probe = await client.send(routeRequest(path, 'GET', credentialHeaders(ctx.gateway, route, ctx.credentials)));
        const res = probe.response;
        if (!res) return fail(`no answer: ${probe.error}`, evidenceOf(probe));
        const echo = echoedRequest(res);
        if (!echo) {
          if (isNoRouteAnswer(res, ctx.noRoute) || res.status === 400)
            return pass(`refused by the gateway with ${res.status}`, evidenceOf(probe));
          return skip(NEEDS_ECHO, evidenceOf(probe));
        }
        const resolved = resolvePath(echo.path);
        const evidence = evidenceOf(probe, { path: echo.path, resolved });
        return resolved.startsWith(prefix)
          ? pass(`the upstream got ${echo.path}, below ${prefix}`, evidence)
          : fail(
              `the upstream got ${echo.path}, which resolves to ${resolved}, outside ${prefix}: route this service through the proxy (README, "Paths")`,
              evidence,
            );
      },
    },
  ];
}

/**
 * Where a route's greedy parameter lands in its upstream URL: a `match: prefix` route's implicit child fills
 * `{proxy}` in `greedyUri`; a path that ends greedy itself (`/files/{rest+}`) fills `{rest}` in `uri`. None without one.
 */
export function greedyUpstreamPrefix(route: RoutePlan, integration: HttpProxyIntegration): string | undefined {
  if (route.greedyChild) return upstreamPrefix(integration.greedyUri);
  const own = /\{([^}/]+)\+\}$/.exec(route.path);
  return own ? upstreamPrefix(integration.uri, `{${own[1]}}`) : undefined;
}

/** `https://svc/base/{proxy}` → `/base/`; undefined when the URL has no such placeholder. */
export function upstreamPrefix(uri: string, placeholder = '{proxy}'): string | undefined {
  const at = uri.indexOf(placeholder);
  return at < 0 ? undefined : new URL(uri.slice(0, at)).pathname;
}

/** The path an upstream that decodes and resolves dot segments would serve. */
export function resolvePath(received: string): string {
  const path = received.split('?')[0]!;
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    decoded = path.replace(/%2e/gi, '.');
  }
  return posix.normalize(decoded);
}
