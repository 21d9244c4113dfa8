// An HTTP API served locally from its OpenAPI 3 definition: routes, CORS, JWT/Lambda authorizers, route throttles, integrations.
import type { JsonObject } from './definition';
import { requestContext, type ContextValues } from './access-log';
import type { LocalFunction, LocalGatewayDefinition } from './assembly';
import { functionNameOfUri } from './cfn';
import { callUpstream, forwardableHeaders, setHeader } from './http-integration';
import { JwtAuthorizer } from './jwt-authorizer';
import { LambdaAuthorizer } from './lambda-authorizer';
import { eventV1, eventV2, responseV1, responseV2 } from './lambda-events';
import { header, jsonResponse, type LocalRequest, type LocalResponse } from './request';
import type { GatewayDeps, Served } from './rest-gateway';
import { matchHttpRoute, type MatchedOperation } from './routing';
import { TokenBucket } from './token-bucket';

interface Cors {
  readonly allowOrigins?: string[];
  readonly allowMethods?: string[];
  readonly allowHeaders?: string[];
  readonly exposeHeaders?: string[];
  readonly allowCredentials?: boolean;
  readonly maxAge?: number;
}

export class HttpGateway {
  private readonly jwt = new Map<string, JwtAuthorizer>();
  private readonly lambdaAuthorizers = new Map<string, LambdaAuthorizer>();
  private readonly stageBucket?: TokenBucket;
  private readonly routeBuckets = new Map<string, TokenBucket>();
  private readonly cors?: Cors;
  readonly apiId: string;

  constructor(
    readonly gateway: LocalGatewayDefinition,
    private readonly deps: GatewayDeps,
  ) {
    this.apiId =
      gateway.name
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '')
        .slice(0, 10) || 'local';
    if (gateway.stageThrottle) this.stageBucket = new TokenBucket(gateway.stageThrottle.rateLimit, gateway.stageThrottle.burstLimit);
    for (const [key, t] of Object.entries(gateway.routeThrottles)) this.routeBuckets.set(key, new TokenBucket(t.rateLimit, t.burstLimit));
    this.cors = gateway.definition['x-amazon-apigateway-cors'] as Cors | undefined;
    for (const [name, scheme] of Object.entries((gateway.definition.components?.securitySchemes ?? {}) as Record<string, JsonObject>)) {
      const auth = scheme['x-amazon-apigateway-authorizer'];
      if (auth?.type === 'jwt') {
        this.jwt.set(
          name,
          new JwtAuthorizer({
            issuer: String(auth.jwtConfiguration?.issuer),
            audience: (auth.jwtConfiguration?.audience ?? []) as string[],
            identitySource: String(auth.identitySource ?? '$request.header.Authorization'),
          }),
        );
      } else if (auth?.type === 'request') {
        const fn = deps.functions.get(functionNameOfUri(String(auth.authorizerUri)) ?? '');
        const sources = (Array.isArray(auth.identitySource) ? auth.identitySource : String(auth.identitySource ?? '').split(','))
          .map((s: string) => s.trim())
          .filter(Boolean);
        if (fn)
          this.lambdaAuthorizers.set(
            name,
            new LambdaAuthorizer(
              { name, fn, identitySources: sources, ttlSeconds: Number(auth.authorizerResultTtlInSeconds ?? 0), kind: 'http-simple' },
              deps.runner,
            ),
          );
      }
    }
  }

  functionsUsed(): LocalFunction[] {
    const names = new Set<string>();
    for (const i of Object.values((this.gateway.definition.components?.['x-amazon-apigateway-integrations'] ?? {}) as JsonObject)) {
      if (typeof i.uri === 'string' && functionNameOfUri(i.uri)) names.add(functionNameOfUri(i.uri)!);
    }
    for (const a of this.lambdaAuthorizers.values()) names.add(a.scheme.fn.name);
    return [...names].flatMap((n) => (this.deps.functions.get(n) ? [this.deps.functions.get(n)!] : []));
  }

  async serve(r: LocalRequest, host: string): Promise<Served> {
    const log = requestContext(r, this.apiId, this.gateway.stageName);
    const served = await this.route(r, host, log);
    return { response: this.withCors(r, served.response), log: served.log };
  }

  private async route(r: LocalRequest, host: string, log: ContextValues): Promise<Served> {
    const fail = (status: number, message: string, headers: Record<string, string> = {}): Served => {
      Object.assign(log, { 'error.message': message });
      return { response: jsonResponse(status, { message }, { 'apigw-requestid': r.requestId, ...headers }), log };
    };
    const match = matchHttpRoute(this.gateway.definition.paths ?? {}, r.method, r.path);
    // API Gateway answers CORS preflights itself when CORS is configured, unless an OPTIONS route matches. Doc: "Configuring CORS for an HTTP API".
    if (
      this.cors &&
      r.method === 'OPTIONS' &&
      header(r, 'origin') &&
      header(r, 'access-control-request-method') &&
      (!match || match.operationKey !== 'options')
    ) {
      return { response: this.preflight(r), log };
    }
    if (!match) return fail(404, 'Not Found');
    log.routeKey = match.routeKey;
    if (this.stageBucket && !this.stageBucket.take()) return fail(429, 'Too Many Requests');
    const bucket = this.routeBuckets.get(match.routeKey);
    if (bucket && !bucket.take()) return fail(429, 'Too Many Requests');
    let authorizer: Record<string, unknown> | undefined;
    for (const requirement of (match.operation.security ?? []) as Record<string, string[]>[]) {
      for (const [name, scopes] of Object.entries(requirement)) {
        const jwt = this.jwt.get(name);
        if (jwt) {
          const outcome = await jwt.authorize(identityValue(jwt.config.identitySource, r), scopes);
          if (!outcome.ok) {
            log['authorizer.error'] = outcome.reason;
            return fail(outcome.status, outcome.status === 401 ? 'Unauthorized' : 'Forbidden', {
              'www-authenticate': outcome.wwwAuthenticate,
            });
          }
          authorizer = { jwt: { claims: outcome.claims, scopes: outcome.scopes } };
        }
        const lambda = this.lambdaAuthorizers.get(name);
        if (lambda) {
          // Identity sources may name request values and context variables (`$context.routeKey` keys the cache per route).
          const source = (s: string) => identityValue(s, r, match);
          const event = {
            ...eventV2(r, this.eventContext(match, host)),
            type: 'REQUEST',
            identitySource: lambda.scheme.identitySources.map(source),
          };
          const outcome = await lambda.authorize(source, event, match.routeKey);
          // A missing identity source is the API's own 401; `isAuthorized: false` is 403; a thrown error 500 (lambda-authorizer.ts).
          if (outcome.kind === 'unauthorized') return fail(401, 'Unauthorized');
          if (outcome.kind === 'denied') return fail(403, 'Forbidden');
          if (outcome.kind === 'failure') {
            log['authorizer.error'] = outcome.reason;
            return fail(500, 'Internal Server Error');
          }
          authorizer = { lambda: outcome.context };
        }
      }
    }
    return this.integrate(r, match, host, authorizer, log, fail);
  }

  private eventContext(match: MatchedOperation, host: string, authorizer?: Record<string, unknown>) {
    return {
      apiId: this.apiId,
      stage: this.gateway.stageName,
      resourcePath: match.resourcePath,
      routeKey: match.routeKey,
      pathParameters: Object.fromEntries(Object.entries(match.pathParameters).map(([k, v]) => [k.replace(/\+$/, ''), v])),
      host,
      authorizer,
      base64Bodies: false,
    };
  }

  private async integrate(
    r: LocalRequest,
    match: MatchedOperation,
    host: string,
    authorizer: Record<string, unknown> | undefined,
    log: ContextValues,
    fail: (s: number, m: string) => Served,
  ): Promise<Served> {
    let integration = (match.operation['x-amazon-apigateway-integration'] ?? {}) as JsonObject;
    if (typeof integration.$ref === 'string') {
      integration = this.gateway.definition.components?.['x-amazon-apigateway-integrations']?.[integration.$ref.split('/').pop()!] ?? {};
    }
    const type = String(integration.type ?? '').toLowerCase();
    const timeoutMs = Number(integration.timeoutInMillis ?? 30_000);
    const started = Date.now();
    if (type === 'aws_proxy') {
      const fn = this.deps.functions.get(functionNameOfUri(String(integration.uri)) ?? '');
      if (!fn) return fail(500, 'Internal Server Error');
      const v2 = String(integration.payloadFormatVersion ?? '2.0') === '2.0';
      const ctx = this.eventContext(match, host, v2 ? authorizer : flattenForV1(authorizer));
      const outcome = await Promise.race([
        this.deps.runner.invoke(fn, v2 ? eventV2(r, ctx) : eventV1(r, ctx)),
        new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref()),
      ]);
      log['integration.latency'] = Date.now() - started;
      if (outcome === 'timeout') return fail(503, 'Service Unavailable');
      if (!outcome.ok) {
        log['integration.error'] = `${outcome.error.errorType}: ${outcome.error.errorMessage}`;
        return fail(500, 'Internal Server Error');
      }
      log['integration.status'] = 200;
      const mapped = v2 ? responseV2(outcome.result) : responseV1(outcome.result);
      return mapped ? { response: mapped, log } : fail(500, 'Internal Server Error');
    }
    if (type === 'http_proxy') {
      const headers = forwardableHeaders(r);
      // Doc: "Transforming API requests and responses for HTTP APIs": overwrite/append/remove of headers, $context and $request values.
      for (const [target, source] of Object.entries((integration.requestParameters ?? {}) as Record<string, string>)) {
        const m = /^(overwrite|append|remove):header\.(.+)$/.exec(target);
        if (!m) continue;
        const [, op, name] = m;
        if (op === 'remove') setHeader(headers, name!, undefined);
        else {
          const value = mappingValue(source, r, match, authorizer);
          const existing = op === 'append' ? header({ headers }, name!) : undefined;
          // A mapping to a value the request lacks (an absent claim) sends no header.
          setHeader(headers, name!, value === undefined ? undefined : existing ? `${existing},${value}` : value);
        }
      }
      const proxy = match.pathParameters['proxy+'] ?? match.pathParameters.proxy;
      let uri = String(integration.uri);
      uri = uri.replace('{proxy}', proxy === undefined ? '' : proxy.split('/').map(encodeURIComponent).join('/'));
      const url = this.deps.rewriteUrl(uri) + (r.rawQuery ? `?${r.rawQuery}` : '');
      const outcome = await callUpstream({
        url,
        method: integration.httpMethod === 'ANY' || !integration.httpMethod ? r.method : String(integration.httpMethod),
        headers,
        body: r.body,
        timeoutMs,
      });
      log['integration.latency'] = Date.now() - started;
      if (!outcome.ok) {
        log['integration.error'] = outcome.message;
        return outcome.timeout ? fail(504, 'Service Unavailable') : fail(500, 'Internal Server Error');
      }
      log['integration.status'] = outcome.response.status;
      return { response: outcome.response, log };
    }
    return fail(500, 'Internal Server Error');
  }

  private preflight(r: LocalRequest): LocalResponse {
    const c = this.cors!;
    const origin = header(r, 'origin')!;
    if (!originAllowed(c, origin)) return { status: 204, headers: {}, body: Buffer.alloc(0) };
    const headers: Record<string, string> = {
      'access-control-allow-origin': c.allowOrigins?.includes('*') && !c.allowCredentials ? '*' : origin,
      'access-control-allow-methods': (c.allowMethods ?? ['*']).join(','),
    };
    if (c.allowHeaders?.length) headers['access-control-allow-headers'] = c.allowHeaders.join(',');
    if (c.maxAge !== undefined) headers['access-control-max-age'] = String(c.maxAge);
    if (c.allowCredentials) headers['access-control-allow-credentials'] = 'true';
    return { status: 204, headers, body: Buffer.alloc(0) };
  }

  /** CORS headers on every answer to an allowed origin, the integration's own replaced, as HTTP APIs do. */
  private withCors(r: LocalRequest, response: LocalResponse): LocalResponse {
    const origin = header(r, 'origin');
    if (!this.cors || !origin || !originAllowed(this.cors, origin) || r.method === 'OPTIONS') return response;
    const headers = Object.fromEntries(Object.entries(response.headers).filter(([k]) => !k.toLowerCase().startsWith('access-control-')));
    headers['access-control-allow-origin'] = this.cors.allowOrigins?.includes('*') && !this.cors.allowCredentials ? '*' : origin;
    if (this.cors.exposeHeaders?.length) headers['access-control-expose-headers'] = this.cors.exposeHeaders.join(',');
    if (this.cors.allowCredentials) headers['access-control-allow-credentials'] = 'true';
    headers.vary = 'Origin';
    return { ...response, headers };
  }
}

function originAllowed(c: Cors, origin: string): boolean {
  return (c.allowOrigins ?? []).some((o) => o === '*' || o.toLowerCase() === origin.toLowerCase());
}

/** `$request.header.X`, `$request.querystring.q`, `$context.requestId`, `$context.authorizer.claims.x`, `$context.authorizer.x`, or a static value. */
function mappingValue(
  source: string,
  r: LocalRequest,
  match: MatchedOperation,
  authorizer: Record<string, unknown> | undefined,
): string | undefined {
  if (/^'.*'$/s.test(source)) return source.slice(1, -1);
  if (source === '$context.requestId') return r.requestId;
  const claim = /^\$context\.authorizer\.claims\.(.+)$/.exec(source);
  if (claim) return stringOf((authorizer?.jwt as { claims?: Record<string, unknown> } | undefined)?.claims?.[claim[1]!]);
  const ctx = /^\$context\.authorizer\.(.+)$/.exec(source);
  if (ctx) return stringOf((authorizer?.lambda as Record<string, unknown> | undefined)?.[ctx[1]!]);
  const p = /^\$request\.path\.(.+)$/.exec(source);
  if (p) return match.pathParameters[p[1]!];
  if (source.startsWith('$')) return identityValue(source, r, match);
  return source;
}

function identityValue(source: string, r: LocalRequest, match?: MatchedOperation): string | undefined {
  if (source === '$context.routeKey') return match?.routeKey;
  const h = /^\$request\.header\.(.+)$/.exec(source);
  if (h) return header(r, h[1]!);
  const q = /^\$request\.querystring\.(.+)$/.exec(source);
  if (q) return new URLSearchParams(r.rawQuery).get(q[1]!) ?? undefined;
  return undefined;
}

function stringOf(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v.join(' ') : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function flattenForV1(authorizer: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!authorizer) return undefined;
  if (authorizer.jwt)
    return { claims: (authorizer.jwt as { claims: unknown }).claims, scopes: (authorizer.jwt as { scopes: unknown }).scopes };
  return authorizer.lambda as Record<string, unknown>;
}
