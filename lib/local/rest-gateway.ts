// A REST API served locally from its Swagger definition: resource policy, routing, authorizer, API key, throttles, validation, integration.
import type { JsonObject } from './definition';
import type { LocalGatewayDefinition, LocalFunction } from './assembly';
import { UsagePlans } from './api-keys';
import { LOCAL_ACCOUNT, LOCAL_REGION, functionNameOfUri } from './cfn';
import { gatewayResponse, type GatewayResponseType } from './gateway-responses';
import { callUpstream, forwardableHeaders, setHeader } from './http-integration';
import { LambdaAuthorizer } from './lambda-authorizer';
import { eventV1, responseV1 } from './lambda-events';
import { evaluatePolicy } from './policy';
import { header, jsonResponse, type LocalRequest, type LocalResponse } from './request';
import { matchRestOperation, type MatchedOperation } from './routing';
import type { FunctionRunner } from './functions';
import { TokenBucket } from './token-bucket';
import { requestContext, type ContextValues } from './access-log';
import type { RequestValidation } from './request-validation';

export interface GatewayDeps {
  readonly runner: FunctionRunner;
  readonly functions: ReadonlyMap<string, LocalFunction>;
  readonly rewriteUrl: (url: string) => string;
  readonly validation: RequestValidation;
}

export interface Served {
  readonly response: LocalResponse;
  readonly log: ContextValues;
}

export class RestGateway {
  readonly usagePlans: UsagePlans;
  private readonly authorizers = new Map<string, LambdaAuthorizer>();
  private readonly stageBucket?: TokenBucket;
  readonly apiId: string;

  constructor(
    readonly gateway: LocalGatewayDefinition,
    private readonly deps: GatewayDeps,
  ) {
    this.usagePlans = new UsagePlans(gateway.usagePlans);
    this.apiId =
      gateway.name
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '')
        .slice(0, 10) || 'local';
    const t = gateway.stageThrottle;
    if (t) this.stageBucket = new TokenBucket(t.rateLimit, t.burstLimit);
    const schemes = (gateway.definition.securityDefinitions ?? {}) as Record<string, JsonObject>;
    for (const [name, scheme] of Object.entries(schemes)) {
      const auth = scheme['x-amazon-apigateway-authorizer'];
      if (!auth) continue;
      const fn = deps.functions.get(functionNameOfUri(String(auth.authorizerUri)) ?? '');
      if (!fn) continue;
      const sources =
        auth.type === 'token'
          ? [`method.request.header.${scheme.name}`]
          : String(auth.identitySource ?? '')
              .split(',')
              .map((s: string) => s.trim())
              .filter(Boolean);
      this.authorizers.set(
        name,
        new LambdaAuthorizer(
          { name, fn, identitySources: sources, ttlSeconds: Number(auth.authorizerResultTtlInSeconds ?? 300), kind: 'rest' },
          deps.runner,
        ),
      );
    }
  }

  /** The functions this API invokes (integrations and authorizers), to start before the first request. */
  functionsUsed(): LocalFunction[] {
    const names = new Set<string>();
    for (const item of Object.values<JsonObject>(this.gateway.definition.paths ?? {})) {
      for (const op of Object.values(item)) {
        const uri = op?.['x-amazon-apigateway-integration']?.uri;
        if (typeof uri === 'string' && functionNameOfUri(uri)) names.add(functionNameOfUri(uri)!);
      }
    }
    for (const a of this.authorizers.values()) names.add(a.scheme.fn.name);
    return [...names].flatMap((n) => (this.deps.functions.get(n) ? [this.deps.functions.get(n)!] : []));
  }

  async serve(r: LocalRequest, host: string): Promise<Served> {
    const log = requestContext(r, this.apiId, this.gateway.stageName);
    const fail = (type: GatewayResponseType, message?: string): Served => {
      const g = gatewayResponse(this.gateway.definition, type, { requestId: r.requestId, requestHeader: (n) => header(r, n) }, message);
      Object.assign(log, { 'error.message': g.errorMessage, 'error.responseType': g.errorType });
      return { response: g, log };
    };
    const match = matchRestOperation(this.gateway.definition.paths ?? {}, r.method, r.path);
    const methodArn = `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${this.apiId}/${this.gateway.stageName}/${r.method}${r.path === '/' ? '/' : r.path}`;
    if (
      this.gateway.policy &&
      evaluatePolicy(this.gateway.policy, { action: 'execute-api:Invoke', resource: methodArn, sourceIp: r.sourceIp }) !== 'allow'
    ) {
      return fail('ACCESS_DENIED', 'User: anonymous is not authorized to perform: execute-api:Invoke on resource: ' + methodArn);
    }
    if (!match) return fail('MISSING_AUTHENTICATION_TOKEN');
    log.resourcePath = match.resourcePath;
    const op = match.operation;
    const security = ((op.security ?? this.gateway.definition.security ?? []) as Record<string, string[]>[]).flatMap((s) => Object.keys(s));
    let authorizerContext: Record<string, unknown> | undefined;
    let usageKey: string | undefined;
    for (const name of security) {
      const authorizer = this.authorizers.get(name);
      if (!authorizer) continue;
      const event = { type: 'REQUEST', methodArn, ...(eventV1(r, this.eventContext(match, host)) as object) };
      const outcome = await authorizer.authorize((source) => identityValue(source, r), event, methodArn);
      if (outcome.kind === 'unauthorized') {
        log['authorizer.error'] = outcome.reason;
        return fail('UNAUTHORIZED');
      }
      if (outcome.kind === 'denied')
        return fail('ACCESS_DENIED', outcome.explicit ? 'User is not authorized to access this resource with an explicit deny' : undefined);
      if (outcome.kind === 'failure') {
        log['authorizer.error'] = outcome.reason;
        return fail(outcome.type);
      }
      authorizerContext = { ...outcome.context, principalId: outcome.principalId };
      usageKey = outcome.usageIdentifierKey;
    }
    let apiKey: { value: string; id: string } | undefined;
    if (security.includes('api_key')) {
      const source = this.gateway.definition['x-amazon-apigateway-api-key-source'] === 'AUTHORIZER' ? usageKey : header(r, 'x-api-key');
      const check = this.usagePlans.check(source, match.resourcePath, r.method);
      if (!check.ok) return fail(check.type);
      apiKey = { value: check.key.value, id: check.key.id };
      log['identity.apiKeyId'] = check.key.id;
    }
    if (this.stageBucket && !this.stageBucket.take()) return fail('THROTTLED');
    const invalid = this.deps.validation.check(this.gateway.definition, op, r);
    if (invalid) return fail(invalid.type, invalid.message);
    return this.integrate(r, match, host, authorizerContext, apiKey, log, fail);
  }

  private eventContext(
    match: MatchedOperation,
    host: string,
    authorizer?: Record<string, unknown>,
    apiKey?: { value: string; id: string },
  ) {
    const binary = (this.gateway.definition['x-amazon-apigateway-binary-media-types'] ?? []) as string[];
    return {
      apiId: this.apiId,
      stage: this.gateway.stageName,
      resourcePath: match.resourcePath,
      routeKey: match.routeKey,
      pathParameters: match.pathParameters,
      host,
      authorizer,
      apiKey,
      base64Bodies: binary.includes('*/*'),
    };
  }

  private async integrate(
    r: LocalRequest,
    match: MatchedOperation,
    host: string,
    authorizer: Record<string, unknown> | undefined,
    apiKey: { value: string; id: string } | undefined,
    log: ContextValues,
    fail: (type: GatewayResponseType, message?: string) => Served,
  ): Promise<Served> {
    const integration = (match.operation['x-amazon-apigateway-integration'] ?? {}) as JsonObject;
    const type = String(integration.type ?? '').toLowerCase();
    const timeoutMs = Number(integration.timeoutInMillis ?? 29_000);
    const started = Date.now();
    if (type === 'mock') {
      const answer = integration.responses?.default ?? {};
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries((answer.responseParameters ?? {}) as Record<string, string>)) {
        if (/^'.*'$/s.test(v)) headers[k.replace(/^method\.response\.header\./, '')] = v.slice(1, -1);
      }
      const body = String(answer.responseTemplates?.['application/json'] ?? '');
      return {
        response: {
          status: Number(answer.statusCode ?? 200),
          headers: { 'Content-Type': 'application/json', ...headers },
          body: Buffer.from(body),
        },
        log,
      };
    }
    if (type === 'aws_proxy') {
      const fn = this.deps.functions.get(functionNameOfUri(String(integration.uri)) ?? '');
      if (!fn) return fail('API_CONFIGURATION_ERROR', `no local function for ${String(integration.uri)}`);
      const outcome = await Promise.race([
        this.deps.runner.invoke(fn, eventV1(r, this.eventContext(match, host, authorizer, apiKey))),
        new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref()),
      ]);
      log['integration.latency'] = Date.now() - started;
      if (outcome === 'timeout') return fail('INTEGRATION_TIMEOUT');
      if (!outcome.ok) {
        log['integration.error'] = `${outcome.error.errorType}: ${outcome.error.errorMessage}`;
        return fail('DEFAULT_5XX');
      }
      log['integration.status'] = 200;
      const mapped = responseV1(outcome.result);
      if (!mapped) {
        log['integration.error'] = 'Malformed Lambda proxy response';
        return fail('DEFAULT_5XX');
      }
      return { response: mapped, log };
    }
    if (type === 'http_proxy') {
      const headers = forwardableHeaders(r);
      let uri = String(integration.uri);
      for (const [target, source] of Object.entries((integration.requestParameters ?? {}) as Record<string, string>)) {
        const value = mappedValue(source, r, match, authorizer);
        const h = /^integration\.request\.header\.(.+)$/.exec(target);
        if (h) setHeader(headers, h[1]!, value);
        const p = /^integration\.request\.path\.(.+)$/.exec(target);
        if (p && value !== undefined) uri = uri.replace(`{${p[1]}}`, value.split('/').map(encodeURIComponent).join('/'));
      }
      const url = this.deps.rewriteUrl(uri) + (r.rawQuery ? `?${r.rawQuery}` : '');
      const outcome = await callUpstream({
        url,
        method: String(integration.httpMethod ?? 'ANY') === 'ANY' ? r.method : String(integration.httpMethod),
        headers,
        body: r.body,
        timeoutMs,
      });
      log['integration.latency'] = Date.now() - started;
      if (!outcome.ok) {
        log['integration.error'] = outcome.message;
        return fail(outcome.timeout ? 'INTEGRATION_TIMEOUT' : 'INTEGRATION_FAILURE', outcome.timeout ? undefined : 'Internal server error');
      }
      log['integration.status'] = outcome.response.status;
      return { response: outcome.response, log };
    }
    return { response: jsonResponse(500, { message: `gatehouse local does not run ${type || 'this'} integrations` }), log };
  }
}

/** A REST identity source's value: `method.request.header.X`, `method.request.querystring.q`, `context.x`. */
function identityValue(source: string, r: LocalRequest): string | undefined {
  const h = /^method\.request\.header\.(.+)$/.exec(source);
  if (h) return header(r, h[1]!);
  const q = /^method\.request\.querystring\.(.+)$/.exec(source);
  if (q) return new URLSearchParams(r.rawQuery).get(q[1]!) ?? undefined;
  if (source === 'context.requestId') return r.requestId;
  return undefined;
}

/** A REST request parameter mapping's source: `'static'`, `method.request.*`, `context.requestId`, `context.authorizer.x`. */
function mappedValue(
  source: string,
  r: LocalRequest,
  match: MatchedOperation,
  authorizer: Record<string, unknown> | undefined,
): string | undefined {
  if (/^'.*'$/s.test(source)) return source.slice(1, -1);
  const path = /^method\.request\.path\.(.+)$/.exec(source);
  if (path) return match.pathParameters[path[1]!];
  const a = /^context\.authorizer\.(.+)$/.exec(source);
  if (a) {
    const v = authorizer?.[a[1]!];
    return v === undefined || v === null ? undefined : String(v);
  }
  if (source === 'context.requestId') return r.requestId;
  return identityValue(source, r);
}
