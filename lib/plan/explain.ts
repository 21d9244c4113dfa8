// explainPlan: the Plan as text a reviewer reads: one row per route, its features and why, and the resource budget.
import { explainObservability } from './explain-observability';
import { CFN_RESOURCES_PER_STACK, CFN_TEMPLATE_BYTES } from '../config/limits';
import { explainAggregators } from './explain-aggregates';
import { explainRouteTable } from './explain-routes';
import { httpApiCounts, httpControlPlaneCalls } from './http';
import { stateWaitText } from './proxy-timing';
import { isHttpGateway, isRestGateway, type GatewayPlan, type Plan, type RestGatewayPlan, type RoutePlan } from './types';
import { explainEdge } from './explain-edge';
import { explainCost } from './cost';
import type { IssuerGrants } from '../../lambdas/contract/authorizer-config';
import { formatPosition } from '../config/source';
import { describeTokens } from '../config/tokens';
import { explainVpcLinks } from './explain-vpc-links';

export function explainPlan(plan: Plan): string {
  const out: string[] = [];
  for (const gateway of plan.gateways) out.push(...explainGateway(gateway, plan), '');
  out.push(
    `Stack: ${plan.stackResources} of ${CFN_RESOURCES_PER_STACK} CloudFormation resources` +
      `; template about ${Math.round(plan.stackBytesEstimate / 1000)} kB of ${CFN_TEMPLATE_BYTES / 1_000_000} MB (estimate; synth prints the measured size)`,
  );
  if (plan.keyExpiry) {
    out.push(
      `Keys: a daily function disables API keys past their expiry or rotation grace period and alarms ${plan.keyExpiry.warningDays} days before keys expire (gatehouse keys).`,
    );
  }
  for (const d of plan.domains) {
    const off = (gateway: string) =>
      plan.gateways.find((g) => g.name === gateway)?.executeApiEndpoint === false ? ' (its execute-api URL is off)' : '';
    out.push(`Domain ${d.name}: ${d.mappings.map((m) => `${m.url} → gateway "${m.gateway}"${off(m.gateway)}`).join(', ')}; ${d.reason}.`);
  }
  out.push(...explainVpcLinks(plan));
  if (plan.edgeStack)
    out.push(
      `Edge stack: ${plan.edgeStack.resources} resources in ${plan.edgeStack.region} (CloudFront web ACLs), deployed before this stack.`,
    );
  if (plan.manageCloudWatchRole)
    out.push("Account: this stack manages the region's API Gateway CloudWatch role (account.manageCloudWatchRole).");
  if (plan.warnings.length) {
    out.push('', 'Warnings:');
    for (const w of plan.warnings) out.push(`  ${w.code}  ${formatPosition(w)}${w.where}: ${w.message}`);
  }
  if (plan.acknowledged?.length) {
    out.push('', 'Acknowledged warnings (acknowledge: in the config):');
    for (const a of plan.acknowledged)
      out.push(`  ${a.code}  ${formatPosition(a)}${a.where}: ${a.message}`, `    acknowledged: ${a.reason}`);
  }
  // Values other constructs fill in at deploy print as ${Token[...]} with the construct they come from.
  return describeTokens(out.join('\n'));
}

function explainGateway(g: GatewayPlan, plan: Plan): string[] {
  const lines = [
    // HTTP APIs are regional only.
    `Gateway "${g.name}": ${g.flavor === 'http' ? 'HTTP API' : 'REST API'}, ${isRestGateway(g) ? g.endpoint.type : 'REGIONAL'} endpoint, stage "${g.flavor === 'http' ? '$default' : g.stage.name}" ` +
      `(throttle ${g.stage.throttle.rate} rps / burst ${g.stage.throttle.burst}, X-Ray ${g.flavor === 'http' ? `on the Lambdas only: ${g.stage.tracing ? 'on' : 'off'}` : g.stage.tracing ? 'on' : 'off'}, ` +
      `access logs ${g.stage.accessLogs.enabled ? `${g.stage.accessLogs.retentionDays} d` : 'off'})`,
  ];
  const rows = g.routes.map((r) => routeRow(r, trustedIssuerNames(g)));
  lines.push(...table(['ROUTE', 'METHODS', 'SERVICE', 'INTEGRATION', 'FEATURES'], rows).map((l) => `  ${l}`));
  lines.push(...explainRouteTable(g));
  lines.push('  Why:');
  const reasons = new Map<string, string[]>();
  for (const r of g.routes) reasons.set(r.reason, [...(reasons.get(r.reason) ?? []), r.path]);
  for (const [reason, paths] of reasons) lines.push(`    ${paths.join(', ')}: ${reason}`);
  for (const r of g.routes) if (r.apiMethods.join() !== r.methods.join()) lines.push(`    ${r.path} methods: ${r.methodsReason}`);
  if (g.cors && g.flavor === 'http') {
    // The API answers a preflight only when no route matches OPTIONS: the planner routed ANY as explicit verbs for that.
    const forwarded = g.routes.filter((r) => r.methods.includes('OPTIONS')).map((r) => r.path);
    lines.push(
      `  CORS: the HTTP API answers preflights (no route matches OPTIONS: ANY routes are routed as explicit verbs) and sets the CORS headers on every response for ${g.cors.origins.join(', ')} (it ignores CORS headers from integrations)` +
        (forwarded.length ? `; ${forwarded.join(', ')} list OPTIONS, so their upstreams answer their preflights` : ''),
    );
  } else if (g.cors) {
    const direct = g.routes
      .filter((r) => r.integration.kind === 'http-proxy' || r.integration.kind === 'lambda-function')
      .map((r) => r.path);
    lines.push(
      `  CORS: preflight and gateway errors (DEFAULT_4XX/5XX) answered by the gateway for ${g.cors.origins.join(', ')}; ` +
        (g.proxies.length ? 'the proxy adds CORS headers to the responses of proxied routes; ' : '') +
        (g.aggregators.length ? 'aggregators add them to their answers; ' : '') +
        (direct.length
          ? `upstreams of direct routes (${direct.join(', ')}) add Access-Control-Allow-Origin themselves (REST proxy integrations pass responses through unchanged)`
          : 'no route relies on its upstream for CORS'),
    );
  }
  for (const p of g.proxies) {
    const c = p.config;
    const targets = c.targets.map((t) => `${t.name} ${t.url}${c.targets.length > 1 ? ` (weight ${t.weight})` : ''}`).join(', ');
    const pins = c.versionRules.map((v) => `${'query' in v ? `?${v.query}=` : `${v.header}: `}${v.value} → ${v.target}`).join(', ');
    lines.push(
      `  Proxy "${p.service}": ${p.reasons.join(', ')}; targets ${targets}${pins ? `; pinned ${pins}` : ''}${p.vpc ? `; in VPC subnets ${p.vpc.subnetIds.join(', ')} with security groups ${p.vpc.securityGroupIds.join(', ')}` : ''}`,
      `    each attempt ${c.timeoutMs} ms, whole request ${c.deadlineMs} ms, ${stateWaitText(p.stateWaitMs)}, API Gateway integration timeout ${p.integrationTimeoutMs} ms; ` +
        `${c.retry ? `${c.retry.retries} retries (idempotent or Idempotency-Key only, budget ${Math.round(c.retryBudgetRatio * 100)} %)` : 'no retries'}; ` +
        `${c.circuitBreaker ? `breaker per target (${c.circuitBreaker.failureRate} % of ≥ ${c.circuitBreaker.minimumRequests} in ${c.circuitBreaker.windowSeconds} s, open ${c.circuitBreaker.openSeconds} s, ${c.circuitBreaker.store === 'dynamodb' ? 'shared in DynamoDB' : 'per instance'})` : 'no breaker'}; ` +
        `degrades to ${[c.lastGood ? `last good (${c.lastGood.ttlSeconds} s, GET)` : '', c.fallback ? `fallback ${c.fallback.status}` : ''].filter(Boolean).join(' then ') || 'an honest 502/503/504'}`,
    );
  }
  lines.push(...explainAggregators(g));
  if (g.authorizer) {
    const a = g.authorizer;
    lines.push(
      `  Auth: ${a.reason}`,
      `    issuers: ${a.config.issuers.map((i) => `${i.name ? `${i.name} = ` : ''}${i.issuer} (${i.audienceFromClientId ? 'aud, or client_id when absent,' : 'aud'} ${i.audiences.join(',')}${a.jwksFiles[i.issuer] ? ', JWKS baked' : ''}${grantsText(i.grants)})`).join('; ')}; algorithms ${a.config.algorithms.join(',')}`,
      `    keys: the live JWKS decides, cached ${a.config.jwks.cacheMaxAgeMs / 1000} s, so a withdrawn key is refused within ${a.config.jwks.cacheMaxAgeMs / 1000} s${Object.keys(a.jwksFiles).length ? '; baked keys verify only while it is unreachable' : ''}`,
      g.flavor === 'http'
        ? `    answer cache ${a.cacheTtlSeconds} s per token and route key, so a token keeps working up to ${a.cacheTtlSeconds} s after it expires or is revoked`
        : `    policy cache ${a.cacheTtlSeconds} s: API Gateway reuses a token's policy, so a token keeps working up to ${a.cacheTtlSeconds} s after it expires or is revoked`,
    );
  }
  if (isHttpGateway(g) && g.nativeJwtAuthorizer) {
    const a = g.nativeJwtAuthorizer;
    lines.push(`  Auth: ${a.reason}`, `    issuer: ${a.issuer} (aud, or client_id when absent, ${a.audiences.join(',')})`);
  }
  if (isRestGateway(g) && g.clientCertificate) {
    lines.push(
      `  Client certificate: the stage presents its AWS::ApiGateway::ClientCertificate to ${g.clientCertificate.services.join(', ')}; their servers trust its PEM (aws apigateway get-client-certificate)`,
    );
  }
  lines.push(...explainEdge(g));
  lines.push(...explainCost(g));
  lines.push(...explainObservability(g));
  if (isRestGateway(g)) lines.push(...explainUsagePlans(g));
  lines.push(
    `  Resources: ${g.estimate.stackResources} of the stack's ${plan.stackResources} CloudFormation resources are this gateway's` +
      (g.flavor === 'http'
        ? `; ${explainHttpApi(g, plan)}`
        : `, whatever the number of routes (routes, methods, integrations, authorizer, validators and gateway responses are the API's definition); ` +
          `API Gateway resources ${g.estimate.apiResources + 1} of ${plan.resourcesPerApi} per API`),
  );
  if (g.flavor === 'rest') {
    lines.push(
      `  Deploy: about ${g.estimate.controlPlaneCalls} API Gateway control-plane calls at first deploy (the definition is one import call)`,
    );
  }
  return lines;
}

/** A REST gateway's usage plans and the consumers with keys on each. */
function explainUsagePlans(g: RestGatewayPlan): string[] {
  return Object.entries(g.plans).map(([name, p]) => {
    const consumers = Object.entries(g.consumers)
      .filter(([, c]) => c.plans.includes(name))
      .map(([n]) => n);
    return (
      `  Plan "${name}": ${p.throttle ? `${p.throttle.rate} rps / burst ${p.throttle.burst}` : 'stage throttle'}` +
      `${p.quota ? `, quota ${p.quota.limit}/${p.quota.period}` : ''}; consumers: ${consumers.join(', ') || 'none'}`
    );
  });
}

/** The gateway's trusted issuers as routes name them (the `iss` of an unnamed one). */
function trustedIssuerNames(g: GatewayPlan): string[] {
  if (g.authorizer) return g.authorizer.config.issuers.map((i) => i.name ?? i.issuer);
  return isHttpGateway(g) && g.nativeJwtAuthorizer ? [g.nativeJwtAuthorizer.issuer] : [];
}

/** An HTTP API's routes and integrations against their quotas, and what its first deploy costs in control-plane calls. */
function explainHttpApi(g: GatewayPlan, plan: Plan): string {
  const functions = g.proxies.length + g.aggregators.length;
  const counts = httpApiCounts(g.routes, functions);
  const mappings = plan.domains.reduce((n, d) => n + d.mappings.filter((m) => m.gateway === g.name).length, 0);
  return (
    `${counts.routes} of ${plan.httpApiQuotas.routesPerApi} routes and ${counts.integrations} of ${plan.httpApiQuotas.integrationsPerApi} integrations per API (account.quotas), ` +
    `all in one OpenAPI body, no CloudFormation resource per route; about ${httpControlPlaneCalls(mappings)} API Gateway control-plane calls at first deploy`
  );
}

function routeRow(r: RoutePlan, trustedIssuers: readonly string[]): string[] {
  const f = r.features;
  const features = [
    `auth:${f.auth === 'jwt' ? `jwt${f.scopes.length || f.roles.length ? `(${[...f.scopes, ...f.roles.map((r) => `role:${r}`)].join(',')})` : ''} iss:${(f.issuers ?? trustedIssuers).join(',')}` : 'none'}`,
    `key:${f.apiKey ? 'yes' : 'no'}`,
    `plan:${f.plans.length ? f.plans.join('+') : '-'}`,
    `throttle:${f.throttle ? `${f.throttle.rate}/${f.throttle.burst}` : 'stage'}`,
    `cors:${f.cors ? 'yes' : 'no'}`,
    `cache:${f.cache}`,
  ].join(' ');
  const i = r.integration;
  const target =
    i.kind === 'http-proxy'
      ? i.uri
      : i.kind === 'aggregator'
        ? i.parts.join(', ')
        : i.kind === 'lambda-function'
          ? `${i.function} (payload ${i.payload}, ${i.timeoutMs} ms)`
          : i.upstreams.join(' | ');
  const upstream = `${i.kind} → ${target}${r.stripPath ? ' (strip)' : ''}${i.kind === 'http-proxy' && i.vpcLink ? ` via VPC link ${i.vpcLink.link}` : ''}`;
  // A prefix route answers below its path too (`/*`); an exact one, a greedy path or an aggregate only at it.
  return [r.greedyChild ? `${r.path}/*` : r.path, r.methods.join(','), r.service, upstream, features];
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [fmt(header), ...rows.map(fmt)];
}

function grantsText(grants: IssuerGrants | undefined): string {
  if (!grants) return '';
  const list = (values: readonly string[] | undefined) => (values === undefined ? 'any' : values.join(',') || 'none');
  return `, grants scopes ${list(grants.scopes)}, roles ${list(grants.roles)}`;
}
