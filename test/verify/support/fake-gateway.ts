// A real HTTP server on 127.0.0.1 that serves one gateway plan the way API Gateway would, with an echo upstream
// behind it; each fault breaks one behaviour, so every verify check can be shown to pass on it and fail on its fault.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { isRestGateway, type GatewayPlan, type RoutePlan } from '../../../lib/plan/types';
import { templateMatches } from '../../../lib/verify/route-requests';

export type Fault =
  | 'route-missing' // the first route is not served: every request to it gets the no-route answer
  | 'unknown-method-served' // methods the route does not configure reach the upstream
  | 'preflight-requires-auth' // OPTIONS on a JWT route runs the authorizer
  | 'preflight-without-allow-headers' // the preflight does not allow the configured request headers
  | 'errors-without-cors' // the gateway's own 4xx lack CORS headers
  | 'no-www-authenticate' // 401s lack WWW-Authenticate
  | 'malformed-token-500' // a token that is no JWT crashes the authorizer
  | 'forged-token-accepted' // signatures are not checked
  | 'expired-token-accepted' // exp is not checked
  | 'scope-ignored' // valid tokens pass whatever their scopes
  | 'unauthorized-as-403' // REST: a missing or refused token gets 403, not the 401 a REST authorizer's Unauthorized documents
  | 'refused-token-thrown' // HTTP API Lambda authorizer: a refused token throws, which the API answers 500, not isAuthorized: false (403)
  | 'missing-token-403' // HTTP API Lambda authorizer: the token is no identity source, so a request without one reaches the authorizer (403)
  | 'identity-passthrough' // client copies of identity headers reach the upstream
  | 'sentinel-dropped' // the static '-' mapping removes the header instead of setting it
  | 'absent-claims-empty' // a claim the token lacks maps to an empty header
  | 'missing-key-accepted' // keyed routes pass without x-api-key
  | 'wrong-key-accepted' // any x-api-key passes
  | 'validation-not-json' // a refused body gets a text/plain 400
  | 'validation-off' // bodies are not validated
  | 'dot-segments-forwarded' // `{proxy}` is substituted decoded, `..` and all
  | 'execute-api-open' // the execute-api URL answers without the origin-verify header
  | 'rate-limit-without-headers' // the 429 has no RateLimit-* headers
  | 'no-rate-limit' // never 429
  | 'no-echo-upstream'; // not a fault: the upstream answers { ok: true } instead of echoing the request

export interface FakeGatewayOptions {
  readonly gateway: GatewayPlan;
  readonly jwksUri: string;
  readonly issuer: string;
  readonly audience: string;
  readonly apiKey: string;
  readonly faults?: readonly Fault[];
}

export interface FakeGateway {
  /** The "distribution" URL (or the stage URL when the gateway has no CloudFront). */
  readonly url: string;
  /** The API's own URL: without CloudFront's origin-verify header. */
  readonly executeApiUrl: string;
  /** Requests received, both listeners. */
  readonly requests: number;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

export async function startFakeGateway(options: FakeGatewayOptions): Promise<FakeGateway> {
  const { gateway } = options;
  const faults = new Set(options.faults ?? []);
  const jwks = createRemoteJWKSet(new URL(options.jwksUri));
  const counters = new Map<string, number>();
  let requests = 0;
  const cors = gateway.cors;
  const allowedOrigin = (origin: string | undefined) =>
    origin && cors && (cors.origins.includes(origin) || cors.origins.includes('*')) ? origin : undefined;
  // Gateway responses carry corsResponseHeaders: one origin, literally.
  const errorCors = (): Record<string, string> =>
    cors && !faults.has('errors-without-cors')
      ? { 'access-control-allow-origin': cors.origins[0]!, 'access-control-allow-credentials': String(cors.credentials) }
      : {};
  const noRoute = (res: ServerResponse) =>
    gateway.flavor === 'rest'
      ? json(
          res,
          403,
          { message: 'Missing Authentication Token' },
          { 'x-amzn-errortype': 'MissingAuthenticationTokenException', ...errorCors() },
        )
      : json(res, 404, { message: 'Not Found' }, errorCors());
  const unauthorized = (res: ServerResponse) =>
    faults.has('unauthorized-as-403')
      ? json(res, 403, { message: 'Forbidden' }, errorCors())
      : json(
          res,
          401,
          { message: 'Unauthorized' },
          {
            ...(isRestGateway(gateway) && gateway.gatewayResponses.includes('UNAUTHORIZED') && !faults.has('no-www-authenticate')
              ? { 'www-authenticate': 'Bearer error="invalid_token"' }
              : {}),
            ...errorCors(),
          },
        );

  const routesAt = (path: string) =>
    gateway.routes.filter((r, i) => !(i === 0 && faults.has('route-missing')) && r.resourcePaths.some((p) => templateMatches(p, path)));

  // An HTTP API Lambda authorizer with simple responses: no token is the API's own 401, a refused one isAuthorized: false (403).
  const lambdaSimple = gateway.flavor === 'http' && gateway.authorizer !== undefined;
  const refusedToken = (res: ServerResponse) =>
    !lambdaSimple
      ? unauthorized(res)
      : faults.has('refused-token-thrown')
        ? json(res, 500, { message: 'Internal Server Error' })
        : json(res, 403, { message: 'Forbidden' }, errorCors());

  async function claimsOf(req: IncomingMessage): Promise<JWTPayload | 'malformed' | 'missing' | undefined> {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return 'missing';
    try {
      if (faults.has('forged-token-accepted')) {
        const claims = decodeJwt(token);
        return (claims.exp ?? 0) > Date.now() / 1000 ? claims : undefined;
      }
      const tolerance = faults.has('expired-token-accepted') ? 10 * 365 * 86_400 : 0;
      return (await jwtVerify(token, jwks, { issuer: options.issuer, audience: options.audience, clockTolerance: tolerance })).payload;
    } catch {
      return token.split('.').length === 3 && /^eyJ/.test(token) ? undefined : 'malformed';
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, viaCloudfront: boolean, body: string): Promise<unknown> {
    if (gateway.edge?.cloudfront && !viaCloudfront && !faults.has('execute-api-open')) return json(res, 403, { message: 'Forbidden' });
    const rawPath = req.url ?? '/';
    const path = rawPath.split('?')[0]!;
    const method = req.method ?? 'GET';
    const candidates = routesAt(path);
    const origin = allowedOrigin(req.headers.origin);

    if (method === 'OPTIONS') {
      const route = candidates.find((r) => r.features.cors);
      if (!route || !cors) return noRoute(res);
      if (faults.has('preflight-requires-auth') && route.features.auth === 'jwt' && !req.headers.authorization) return unauthorized(res);
      return res
        .writeHead(204, {
          ...(origin ? { 'access-control-allow-origin': origin } : {}),
          'access-control-allow-methods': cors.methods.join(','),
          ...(faults.has('preflight-without-allow-headers') ? {} : { 'access-control-allow-headers': cors.headers.join(',') }),
          ...(cors.credentials ? { 'access-control-allow-credentials': 'true' } : {}),
        })
        .end();
    }
    const route =
      candidates.find((r) => r.apiMethods.includes('ANY') || r.apiMethods.includes(method as never)) ??
      (faults.has('unknown-method-served') ? candidates[0] : undefined);
    if (!route) return noRoute(res);

    let claims: JWTPayload | undefined;
    if (route.features.auth === 'jwt') {
      const verified = await claimsOf(req);
      if (verified === 'malformed' && faults.has('malformed-token-500')) return json(res, 500, { message: 'Internal server error' });
      if (verified === 'missing')
        return lambdaSimple && faults.has('missing-token-403') ? json(res, 403, { message: 'Forbidden' }, errorCors()) : unauthorized(res);
      if (!verified || verified === 'malformed') return refusedToken(res);
      const scopes = String(verified.scope ?? '').split(' ');
      const roles = Array.isArray(verified.roles) ? (verified.roles as string[]) : [];
      const granted =
        route.features.scopes.every((s) => scopes.includes(s)) &&
        (!route.features.roles.length || route.features.roles.some((r) => roles.includes(r)));
      if (!faults.has('scope-ignored') && !granted) return json(res, 403, { message: 'Forbidden' }, errorCors());
      claims = verified;
    }
    if (route.features.apiKey) {
      const key = req.headers['x-api-key'];
      const accepted =
        key === options.apiKey ||
        (key !== undefined && faults.has('wrong-key-accepted')) ||
        (key === undefined && faults.has('missing-key-accepted'));
      if (!accepted) return json(res, 403, { message: 'Forbidden' }, errorCors());
    }
    const problem = validationProblem(route, method, req, body);
    if (problem) {
      return faults.has('validation-not-json')
        ? res.writeHead(400, { 'content-type': 'text/plain', ...errorCors() }).end(problem)
        : json(res, 400, { message: problem }, errorCors());
    }
    const limited = rateLimited(route, method);
    if (limited) return json(res, 429, { code: 'rate_limited' }, { ...limited, ...errorCors() });

    const upstreamPath = forwardedPath(route, path);
    if (upstreamPath === undefined) return json(res, 400, { code: 'unsafe_path' }, errorCors());
    const query = rawPath.includes('?') ? rawPath.slice(rawPath.indexOf('?')) : '';
    if (faults.has('no-echo-upstream')) return json(res, 200, { ok: true });
    return json(
      res,
      200,
      { method, url: `${upstreamPath}${query}`, headers: upstreamHeaders(req, route, claims) },
      origin ? { 'access-control-allow-origin': origin } : {},
    );
  }

  function validationProblem(route: RoutePlan, method: string, req: IncomingMessage, body: string): string | undefined {
    const validation = route.features.validation;
    if (!validation || faults.has('validation-off')) return undefined;
    const missing = [
      ...validation.headers.filter((h) => req.headers[h.toLowerCase()] === undefined),
      ...validation.query.filter((q) => !new URL(req.url ?? '/', 'http://x').searchParams.has(q)),
    ];
    if (missing.length) return `Missing required request parameters: [${missing.join(', ')}]`;
    if (!validation.body || !['POST', 'PUT', 'PATCH'].includes(method)) return undefined;
    const schema = validation.body.schema as { type?: string; required?: string[] };
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return 'Invalid request body';
    }
    const isObject = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
    if (schema.type === 'object' && !isObject) return 'Invalid request body';
    if (isObject && (schema.required ?? []).some((p) => !(p in (parsed as object)))) return 'Invalid request body';
    return undefined;
  }

  function rateLimited(route: RoutePlan, method: string): Record<string, string> | undefined {
    if (route.integration.kind !== 'lambda-proxy' || faults.has('no-rate-limit')) return undefined;
    const service = route.integration.service;
    const limit = gateway.proxies.find((p) => p.service === service)?.config.routes[`${method} ${route.path}`]?.rateLimit;
    if (!limit) return undefined;
    const window = [...limit.windows].sort((a, b) => a.limit - b.limit)[0]!;
    const used = (counters.get(limit.scope) ?? 0) + 1;
    counters.set(limit.scope, used);
    if (used <= window.limit) return undefined;
    const headers: Record<string, string> = { 'retry-after': String(window.seconds) };
    if (!faults.has('rate-limit-without-headers'))
      Object.assign(headers, {
        'ratelimit-limit': String(window.limit),
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(window.seconds),
      });
    return headers;
  }

  /** The upstream path: the integration URI, `{proxy}` filled with the decoded remainder; dot segments refused unless faulted. */
  function forwardedPath(route: RoutePlan, path: string): string | undefined {
    if (route.integration.kind !== 'http-proxy') return path;
    const remainder = path.slice(route.path.replace(/\/$/, '').length).replace(/^\//, '');
    if (!remainder) return new URL(route.integration.uri).pathname;
    const decoded = decodeURIComponent(remainder);
    if (!faults.has('dot-segments-forwarded') && decoded.split('/').some((s) => s === '.' || s === '..')) return undefined;
    const greedy = route.integration.greedyUri;
    return `${new URL(greedy.slice(0, greedy.indexOf('{proxy}'))).pathname}${decoded}`;
  }

  function upstreamHeaders(req: IncomingMessage, route: RoutePlan, claims: JWTPayload | undefined): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headersDistinct)) if (value) headers[name] = value.join(', ');
    if (faults.has('identity-passthrough')) return headers;
    // The Gatehouse Lambda authorizer (REST, or an HTTP API's simple responses) fills a claim the token lacks with '-';
    // the HTTP API's native JWT authorizer has no value for it.
    const absent = faults.has('absent-claims-empty') || !gateway.authorizer ? '' : '-';
    const context: Record<string, string> = {
      sub: String(claims?.sub ?? absent),
      roles: Array.isArray(claims?.roles) ? (claims.roles as string[]).join(',') : absent,
      scopes: typeof claims?.scope === 'string' ? claims.scope : absent,
      clientId: typeof claims?.client_id === 'string' ? claims.client_id : absent,
    };
    if (route.integration.kind === 'http-proxy') {
      for (const [header, source] of Object.entries(route.integration.headers)) {
        const name = header.toLowerCase();
        const field = /^context\.authorizer\.(\w+)$/.exec(source)?.[1];
        if (field) headers[name] = context[field] ?? '';
        else if (source === "''" || (source === "'-'" && faults.has('sentinel-dropped'))) delete headers[name];
        else if (source.startsWith("'")) headers[name] = source.slice(1, -1);
        else headers[name] = 'fake-request-id';
      }
    } else {
      const service = route.integration.kind === 'lambda-proxy' ? route.integration.service : undefined;
      const names = gateway.proxies.find((p) => p.service === service)?.config.identityHeaders;
      if (names) {
        const pairs: [string, string][] = [
          [names.userId, 'sub'],
          [names.roles, 'roles'],
          [names.scopes, 'scopes'],
          [names.clientId, 'clientId'],
        ];
        for (const [header, field] of pairs) {
          if (claims) headers[header.toLowerCase()] = context[field]!;
          else delete headers[header.toLowerCase()];
        }
      }
    }
    return headers;
  }

  const listen = async (viaCloudfront: boolean) => {
    const server: Server = createServer((req, res) => {
      requests += 1;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        handle(req, res, viaCloudfront, Buffer.concat(chunks).toString('utf8')).catch((err: Error) =>
          json(res, 500, { message: err.message }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };
  const distribution = await listen(true);
  const executeApi = await listen(false);
  return {
    url: distribution.url,
    executeApiUrl: executeApi.url,
    get requests() {
      return requests;
    },
    close: async () => {
      for (const { server } of [distribution, executeApi]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
