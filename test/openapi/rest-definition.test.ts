// renderRestDefinition on its own: a plan in, a Swagger 2.0 document out, with nothing but the plan and the function URIs.
import { describe, expect, it } from 'vitest';
import { renderRestDefinition, restFunctionNames, restFunctionUris, IMPORT_VARIABLES } from '../../lib/openapi/rest';
import { planSpec } from '../../lib/plan/plan';
import { validateConfig } from '../../lib/config/load';
import { openApiErrors } from '../support/openapi';
import { asRest } from '../support/flavors';

const gatewayPlan = (routes: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
  asRest(
    planSpec(
      validateConfig({
        services: { a: { url: 'https://a.internal' }, b: { url: 'https://b.internal', retries: { attempts: 1 } } },
        gateways: { g: { routes, ...extra } },
      }),
    ).gateways[0],
  );
const render = (plan: ReturnType<typeof gatewayPlan>) =>
  renderRestDefinition(plan, restFunctionUris(restFunctionNames('Stack', plan), IMPORT_VARIABLES));

describe('renderRestDefinition', () => {
  const routes = [
    { service: 'a', paths: ['/z'], methods: ['GET'] },
    { service: 'b', paths: ['/a'], methods: ['PUT', 'DELETE'], apiKey: true },
  ];
  const plan = gatewayPlan(routes, { plans: { p: {} }, consumers: { c: { plans: ['p'] } } });
  const doc = render(plan);

  it('GIVEN two routes WHEN rendered THEN paths are sorted, whatever the config order, and valid Swagger 2.0', async () => {
    expect(Object.keys(doc.paths)).toEqual(['/a', '/a/{proxy+}', '/z', '/z/{proxy+}']);
    expect(render(gatewayPlan([...routes].reverse(), { plans: { p: {} }, consumers: { c: { plans: ['p'] } } }))).toEqual(doc);
    expect(await openApiErrors(doc)).toEqual([]);
  });

  it('GIVEN a proxied route WHEN rendered THEN its operations call the named proxy through the variables API Gateway resolves on import', () => {
    expect(doc.paths['/a']!.put!['x-amazon-apigateway-integration']).toMatchObject({
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: 'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:Stack-g-proxy-b/invocations',
    });
    expect(doc['x-amazon-apigateway-binary-media-types']).toEqual(['*/*']);
  });

  it('GIVEN listed methods WHEN rendered THEN exactly those operations exist, keyed ones requiring the API key', () => {
    expect(Object.keys(doc.paths['/a']!)).toEqual(['put', 'delete']);
    expect(doc.paths['/a']!.delete!.security).toEqual([{ api_key: [] }]);
    expect(doc.paths['/z']!.get!.security).toBeUndefined();
  });

  it('GIVEN a function name past 64 characters WHEN named THEN it is cut and suffixed with a hash, unique per gateway', () => {
    const names = restFunctionNames('A'.repeat(60), plan);
    expect(names.proxies.b).toHaveLength(64);
    expect(names.proxies.b).toMatch(/^A+-[0-9a-f]{8}$/);
  });

  it('GIVEN a route listing OPTIONS WHEN rendered with CORS THEN its OPTIONS goes upstream and no mock preflight replaces it', () => {
    const d = render(gatewayPlan([{ service: 'a', paths: ['/x'], methods: ['GET', 'OPTIONS'] }], { cors: { origins: ['*'] } }));
    expect(d.paths['/x']!.options!['x-amazon-apigateway-integration'].type).toBe('http_proxy');
  });
});

describe('an aggregate on a templated path', () => {
  it('GIVEN an aggregate on /api/orders/{id}/summary WHEN rendered THEN its GET declares the id path parameter and the document is valid Swagger 2.0', async () => {
    const plan = gatewayPlan([{ service: 'a', paths: ['/z'], methods: ['GET'] }], {
      aggregates: [{ path: '/api/orders/{id}/summary', parts: { order: { service: 'a', path: '/orders/{path.id}' } } }],
    });
    const doc = render(plan);
    expect(doc.paths['/api/orders/{id}/summary']!.get!.parameters).toEqual([{ name: 'id', in: 'path', required: true, type: 'string' }]);
    expect(await openApiErrors(doc)).toEqual([]);
  });
});
