// Cross-field rules of aggregates: paths no route claims, unique names, known services, `from` references, `select` paths and claims that need auth.
import { aggregateNameOf, aggregatePathParameters, type AggregateSpec } from './aggregate-schema';
import type { RawIssue } from './errors';
import type { GatehouseSpec, GatewaySpec } from './schema';
import { didYouMean } from './suggest';

/** The rules of one gateway's aggregates that need nothing outside the gateway (and the service names). */
export function checkGatewayAggregates(
  gateway: GatewaySpec,
  serviceNames: readonly string[] | undefined,
  at: readonly (string | number)[],
): RawIssue[] {
  const issues: RawIssue[] = [];
  if (gateway.routes.length === 0 && gateway.aggregates.length === 0) {
    issues.push({ path: [...at, 'routes'], message: 'a gateway needs at least one route or aggregate' });
  }
  const names = new Map<string, number>();
  const paths = new Map<string, number>();
  gateway.aggregates.forEach((aggregate, index) => {
    const aggAt = [...at, 'aggregates', index];
    const name = aggregateNameOf(aggregate);
    // Names key construct ids (PascalCase), so "my-dash" and "myDash" would collide.
    const key = name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
    const sameName = names.get(key);
    if (sameName !== undefined) {
      issues.push({
        path: [...aggAt, aggregate.name === undefined ? 'path' : 'name'],
        message: `aggregate name "${name}" is already used by aggregates[${sameName}]; set name: to tell them apart (names must differ in more than case and punctuation)`,
      });
    } else names.set(key, index);
    // `/a/{id}` and `/a/{orderId}` are one resource to API Gateway: parameter names do not tell paths apart.
    const shape = aggregate.path.replace(/\{[^}]*\}/g, '{}');
    const samePath = paths.get(shape);
    if (samePath !== undefined)
      issues.push({ path: [...aggAt, 'path'], message: `${aggregate.path} is already served by aggregates[${samePath}]` });
    else paths.set(shape, index);
    const routeIndex = gateway.routes.findIndex(
      (r) => r.paths.includes(aggregate.path) && r.methods.some((m) => m === 'GET' || m === 'ANY'),
    );
    if (routeIndex >= 0) {
      issues.push({
        path: [...aggAt, 'path'],
        message: `GET ${aggregate.path} is already routed by routes[${routeIndex}]; each path and method belongs to one route or aggregate`,
      });
    }
    if (aggregate.apiKey && Object.keys(gateway.plans).length === 0) {
      issues.push({
        path: [...aggAt, 'apiKey'],
        message: 'this aggregate requires an API key but the gateway has no plans: add a plan and a consumer on it, or drop apiKey',
      });
    }
    if (aggregate.auth?.jwt && !gateway.auth?.jwt) {
      issues.push({
        path: [...aggAt, 'auth'],
        message: 'this aggregate requires a JWT but the gateway trusts no issuer: add auth.jwt.issuers to the gateway',
      });
    }
    if (aggregate.apiKey && gateway.auth?.jwt?.clientIdAsApiKey && !aggregate.auth?.jwt) {
      issues.push({
        path: [...aggAt, 'apiKey'],
        message:
          'with auth.jwt.clientIdAsApiKey the API key comes from the JWT, so a keyed aggregate needs auth: jwt (API Gateway ignores x-api-key headers then)',
      });
    }
    if (aggregate.parts) issues.push(...partIssues(aggregate, aggregate.parts, serviceNames, aggAt, ['parts']));
  });
  return issues;
}

/** The rules that read other gateways: `from` must name an aggregate with parts, and `select` must fit that aggregate's parts. */
export function checkSpecAggregates(spec: GatehouseSpec): RawIssue[] {
  const issues: RawIssue[] = [];
  const all = Object.entries(spec.gateways).flatMap(([gatewayName, g]) =>
    g.aggregates.map((a) => [`${gatewayName}.${aggregateNameOf(a)}`, a] as const),
  );
  const byRef = new Map<string, AggregateSpec>();
  // A duplicate name is reported by checkGatewayAggregates; references go to the first.
  for (const [ref, a] of all) if (!byRef.has(ref)) byRef.set(ref, a);
  for (const [gatewayName, gateway] of Object.entries(spec.gateways)) {
    gateway.aggregates.forEach((aggregate, index) => {
      if (aggregate.from === undefined) return;
      const aggAt = ['gateways', gatewayName, 'aggregates', index];
      const source = byRef.get(aggregate.from);
      if (!source) {
        issues.push({
          path: [...aggAt, 'from'],
          message: `no aggregate "${aggregate.from}" (from is <gateway>.<aggregate name>)${didYouMean(aggregate.from, [...byRef.keys()])}`,
        });
        return;
      }
      if (!source.parts) {
        issues.push({
          path: [...aggAt, 'from'],
          message: `${aggregate.from} itself comes from ${source.from}: name the aggregate that lists the parts`,
        });
        return;
      }
      issues.push(...partIssues(aggregate, source.parts, undefined, aggAt, ['from']));
    });
  }
  return issues;
}

/**
 * Parts that name a known service, placeholders the aggregate can fill, and `select` paths that
 * start at a part. `partsAt` is where the parts came from (`parts`, or `from` for a reused aggregate).
 */
function partIssues(
  aggregate: AggregateSpec,
  parts: NonNullable<AggregateSpec['parts']>,
  serviceNames: readonly string[] | undefined,
  aggAt: readonly (string | number)[],
  partsAt: readonly string[],
): RawIssue[] {
  const issues: RawIssue[] = [];
  const own = partsAt[0] === 'parts';
  for (const [partName, part] of Object.entries(parts)) {
    const where = own ? [...aggAt, 'parts', partName] : [...aggAt, ...partsAt];
    if (serviceNames && !serviceNames.includes(part.service)) {
      issues.push({
        path: [...where, 'service'],
        message: `no service named "${part.service}" under services${didYouMean(part.service, serviceNames)}`,
      });
    }
    // Checked for every aggregate using the parts, a reused one included: its own path must have them.
    const params = aggregatePathParameters(aggregate.path);
    for (const [, name] of part.path.matchAll(/\{path\.([^}]*)\}/g)) {
      if (name !== undefined && params.includes(name)) continue;
      const has = params.length ? `its parameters are ${params.map((p) => `{${p}}`).join(', ')}` : 'it has no parameters';
      issues.push({
        path: own ? [...where, 'path'] : where,
        message: `part "${partName}" uses {path.${name}}, which is not a parameter of ${aggregate.path} (${has})${didYouMean(name ?? '', params)}: add a {${name}} segment to the aggregate's path, or use {query.x} or {claims.x}`,
      });
    }
    // Only the JWT authorizer puts claims in the request context; without it every call would answer 400.
    if (/\{claims\./.test(part.path) && !aggregate.auth?.jwt) {
      issues.push({
        path: own ? [...where, 'path'] : where,
        message: `part "${partName}" uses {claims.…}, which come from the JWT: give this aggregate auth: jwt`,
      });
    }
  }
  const partNames = Object.keys(parts);
  aggregate.select?.forEach((path, i) => {
    const first = /^[^.[\]]+/.exec(path)?.[0];
    if (first === undefined || !partNames.includes(first)) {
      issues.push({
        path: [...aggAt, 'select', i],
        message: `"${path}" does not start with a part name (parts: ${partNames.join(', ')})${first ? didYouMean(first, partNames) : ''}`,
      });
    }
  });
  return issues;
}
