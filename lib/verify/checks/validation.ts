// Validated routes: a body that breaks the route's schema, or a missing required parameter, gets a JSON 400.
import type { RoutePlan } from '../../plan/types';
import type { CheckContext } from '../context';
import { judge } from '../outcome';
import { credentialHeaders, missingCredential, SAMPLE_SEGMENT, sampleMethod, samplePath } from '../route-requests';
import type { VerifyCheck } from '../types';

const BODY_METHODS = ['POST', 'PUT', 'PATCH'] as const;

export function validationChecks(ctx: CheckContext, route: RoutePlan): VerifyCheck[] {
  const validation = route.features.validation;
  if (!validation) return [];
  const missing = missingCredential(ctx.gateway, route, ctx.credentials);
  const credentials = credentialHeaders(ctx.gateway, route, ctx.credentials);
  const requiredHeaders = Object.fromEntries(validation.headers.map((h) => [h.toLowerCase(), SAMPLE_SEGMENT]));
  const query = validation.query.length ? `?${validation.query.map((q) => `${encodeURIComponent(q)}=${SAMPLE_SEGMENT}`).join('&')}` : '';
  const path = samplePath(route);
  const json400 = (status: number, headers: Readonly<Record<string, string>>, body: string) => {
    if (status !== 400) return `expected 400, got ${status}`;
    if (!/json/i.test(headers['content-type'] ?? '')) return `the 400 is ${headers['content-type'] ?? 'untyped'}, not JSON`;
    try {
      JSON.parse(body);
      return undefined;
    } catch {
      return 'the 400 body does not parse as JSON';
    }
  };
  const checks: VerifyCheck[] = [];

  const bodyMethod = route.methods.includes('ANY') ? 'POST' : BODY_METHODS.find((m) => route.methods.includes(m));
  if (validation.body && bodyMethod) {
    const bad = badBodyFor(validation.body.schema);
    checks.push({
      id: `validation.body@${route.id}`,
      family: 'validation',
      description: `${bodyMethod} ${path} with a body its schema refuses (${bad?.why ?? 'none derivable'}) gets a JSON 400`,
      ...(missing
        ? { skip: missing }
        : bad
          ? {}
          : { skip: 'no body the schema refuses could be derived (no required properties, no object or array type)' }),
      run: async (client) =>
        judge(
          await client.send({
            method: bodyMethod,
            path: `${path}${query}`,
            headers: { ...credentials, ...requiredHeaders, 'content-type': 'application/json' },
            body: bad!.body,
          }),
          json400,
          'JSON 400',
        ),
    });
  }

  if (validation.query.length || validation.headers.length) {
    const method = sampleMethod(route);
    const what = [...validation.query.map((q) => `query ${q}`), ...validation.headers.map((h) => `header ${h}`)].join(', ');
    checks.push({
      id: `validation.params@${route.id}`,
      family: 'validation',
      description: `${method} ${path} without its required ${what} gets a JSON 400`,
      ...(missing ? { skip: missing } : {}),
      run: async (client) => {
        const body = BODY_METHODS.includes(method as (typeof BODY_METHODS)[number]) ? { body: '{}' } : {};
        return judge(
          await client.send({
            method,
            path,
            headers: { ...credentials, ...(body.body ? { 'content-type': 'application/json' } : {}) },
            ...body,
          }),
          json400,
          'JSON 400',
        );
      },
    });
  }
  return checks;
}

/** A JSON body the schema refuses for certain: required properties left out, or the wrong top-level type. */
export function badBodyFor(schema: Record<string, unknown>): { body: string; why: string } | undefined {
  if (Array.isArray(schema.required) && schema.required.length) return { body: '{}', why: `no ${schema.required.join(', ')}` };
  if (schema.type === 'object') return { body: '[]', why: 'an array where an object is required' };
  if (schema.type === 'array') return { body: '{}', why: 'an object where an array is required' };
  return undefined;
}
