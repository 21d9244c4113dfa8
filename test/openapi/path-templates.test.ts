// Path templates in both renderers: `{id}` and `{name+}` resources, declared parameters, and HTTP_PROXY URIs that carry them upstream.
import { describe, expect, it } from 'vitest';
import { renderHttpOpenApi } from '../../lib/openapi/http/document';
import type { HttpFunctionRefs } from '../../lib/openapi/http/integrations';
import { IMPORT_VARIABLES, renderRestDefinition, restFunctionNames, restFunctionUris } from '../../lib/openapi/rest';
import { planSpec } from '../../lib/plan/plan';
import { validateConfig } from '../../lib/config/load';
import { integrationOf, type Doc } from '../support/http-definition';
import { openApiErrors } from '../support/openapi';
import { asHttp, asRest } from '../support/flavors';

const routes = [
  { name: 'user', service: 'reader', paths: ['/users/{id}'], methods: ['GET'], match: 'exact' },
  { name: 'user-keys', service: 'writer', paths: ['/users/{id}/keys'], methods: ['POST'], validate: { query: ['label'] } },
  { name: 'files', service: 'reader', paths: ['/files/{rest+}'], methods: ['GET'] },
  { name: 'orders-read', service: 'reader', paths: ['/orders'], methods: ['GET'] },
  { name: 'orders-write', service: 'proxied', paths: ['/orders'], methods: ['POST'] },
];
const plan = (flavor: 'rest' | 'http') =>
  planSpec(
    validateConfig({
      services: {
        reader: { url: 'https://read.internal/v1' },
        writer: { url: 'https://write.internal' },
        proxied: { url: 'https://write.internal', retries: { attempts: 1 } },
      },
      gateways: { g: { flavor, routes } },
    }),
  ).gateways[0]!;
const restPlan = () => asRest(plan('rest'));
const httpPlan = () => asHttp(plan('http'));

describe('REST definition with path templates', () => {
  const p = restPlan();
  const doc = renderRestDefinition(p, restFunctionUris(restFunctionNames('Stack', p), IMPORT_VARIABLES));

  it('GIVEN exact, prefix and greedy templates WHEN rendered THEN each owns exactly its resources and the document is valid Swagger 2.0', async () => {
    expect(Object.keys(doc.paths)).toEqual([
      '/files/{rest+}',
      '/orders',
      '/orders/{proxy+}',
      '/users/{id}',
      '/users/{id}/keys',
      '/users/{id}/keys/{proxy+}',
    ]);
    expect(await openApiErrors(doc)).toEqual([]);
  });

  it('GIVEN a direct route on /users/{id} WHEN rendered THEN {id} is a required path parameter mapped into the HTTP_PROXY URI', () => {
    const op = doc.paths['/users/{id}']!.get!;
    expect(op.parameters).toEqual([{ name: 'id', in: 'path', required: true, type: 'string' }]);
    expect(op['x-amazon-apigateway-integration']).toMatchObject({
      type: 'http_proxy',
      uri: 'https://read.internal/v1/users/{id}',
      requestParameters: expect.objectContaining({ 'integration.request.path.id': 'method.request.path.id' }),
    });
  });

  it('GIVEN a prefix template WHEN rendered THEN its greedy child declares and maps both {id} and {proxy}', () => {
    const op = doc.paths['/users/{id}/keys/{proxy+}']!.post!;
    expect(op.parameters).toEqual(
      expect.arrayContaining([
        { name: 'id', in: 'path', required: true, type: 'string' },
        { name: 'proxy', in: 'path', required: true, type: 'string' },
        { name: 'label', in: 'query', required: true, type: 'string' },
      ]),
    );
    expect(op['x-amazon-apigateway-request-validator']).toBe('params');
    expect(op['x-amazon-apigateway-integration']).toMatchObject({
      uri: 'https://write.internal/users/{id}/keys/{proxy}',
      requestParameters: expect.objectContaining({
        'integration.request.path.id': 'method.request.path.id',
        'integration.request.path.proxy': 'method.request.path.proxy',
      }),
    });
  });

  it('GIVEN a route ending in {rest+} WHEN rendered THEN it has no greedy child and maps {rest} into the URI', () => {
    const op = doc.paths['/files/{rest+}']!.get!;
    expect(op.parameters).toEqual([{ name: 'rest', in: 'path', required: true, type: 'string' }]);
    expect(op['x-amazon-apigateway-integration']).toMatchObject({
      uri: 'https://read.internal/v1/files/{rest}',
      requestParameters: expect.objectContaining({ 'integration.request.path.rest': 'method.request.path.rest' }),
    });
  });

  it('GIVEN GET /orders to a direct service and POST /orders to a proxied one WHEN rendered THEN one path holds both integrations', () => {
    expect(doc.paths['/orders']!.get!['x-amazon-apigateway-integration']).toMatchObject({
      type: 'http_proxy',
      uri: 'https://read.internal/v1/orders',
    });
    expect(doc.paths['/orders']!.post!['x-amazon-apigateway-integration']).toMatchObject({
      type: 'aws_proxy',
      uri: expect.stringContaining('function:Stack-g-proxy-proxied'),
    });
    expect(Object.keys(doc.paths['/orders']!)).toEqual(['get', 'post']);
  });
});

describe('HTTP API document with path templates', () => {
  const refs: HttpFunctionRefs = {
    partition: 'aws',
    region: 'eu-west-1',
    account: '123456789012',
    proxyArn: (s) => `arn:aws:lambda:eu-west-1:123456789012:function:proxy-${s}`,
    aggregatorArn: (a) => `arn:aws:lambda:eu-west-1:123456789012:function:aggregator-${a}`,
  };
  const doc = renderHttpOpenApi(httpPlan(), { refs }) as Doc;

  it('GIVEN templates WHEN rendered THEN the route keys carry {id} and {rest+} with their path parameters, and the document is valid OpenAPI 3.0', async () => {
    expect(Object.keys(doc.paths)).toEqual([
      '/files/{rest+}',
      '/orders',
      '/orders/{proxy+}',
      '/users/{id}',
      '/users/{id}/keys',
      '/users/{id}/keys/{proxy+}',
    ]);
    expect(doc.paths['/users/{id}']!.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(await openApiErrors(renderHttpOpenApi(httpPlan()))).toEqual([]);
  });

  it('GIVEN direct templated routes WHEN rendered THEN the HTTP_PROXY URIs name the route variables', () => {
    expect(integrationOf(doc, doc.paths['/users/{id}']!.get!)).toMatchObject({
      type: 'http_proxy',
      uri: 'https://read.internal/v1/users/{id}',
    });
    expect(integrationOf(doc, doc.paths['/files/{rest+}']!.get!)).toMatchObject({ uri: 'https://read.internal/v1/files/{rest}' });
    expect(integrationOf(doc, doc.paths['/orders']!.post!)).toMatchObject({
      type: 'aws_proxy',
      uri: expect.stringContaining('proxy-proxied'),
    });
  });

  it('GIVEN one path split by method between two direct services WHEN rendered THEN each method has its own integration', () => {
    const p = asHttp(
      planSpec(
        validateConfig({
          services: { reader: { url: 'https://read.internal' }, writer: { url: 'https://write.internal' } },
          gateways: {
            g: {
              flavor: 'http',
              routes: [
                { service: 'reader', paths: ['/orders'], methods: ['GET'] },
                { service: 'writer', paths: ['/orders'], methods: ['POST'] },
              ],
            },
          },
        }),
      ).gateways[0],
    );
    const d = renderHttpOpenApi(p, { refs }) as Doc;
    expect(integrationOf(d, d.paths['/orders']!.get!)).toMatchObject({ uri: 'https://read.internal/orders' });
    expect(integrationOf(d, d.paths['/orders']!.post!)).toMatchObject({ uri: 'https://write.internal/orders' });
    expect(integrationOf(d, d.paths['/orders/{proxy+}']!.post!)).toMatchObject({ uri: 'https://write.internal/orders/{proxy}' });
  });
});

describe('a route whose own greedy parameter is named proxy', () => {
  // The plan names a route's implicit greedy child; a path that ends in {proxy+} itself has none, so its upstream URI is `uri`.
  const planOf = (flavor: 'rest' | 'http') =>
    planSpec(
      validateConfig({
        services: { files: { url: 'https://files.internal/v1' } },
        gateways: { g: { flavor, routes: [{ service: 'files', paths: ['/files/{proxy+}'], methods: ['GET'] }] } },
      }),
    ).gateways[0]!;

  it('GIVEN /files/{proxy+} WHEN planned THEN its only resource is the path and it has no greedy child', () => {
    const route = planOf('rest').routes[0]!;
    expect(route.resourcePaths).toEqual(['/files/{proxy+}']);
    expect(route.greedyChild).toBeUndefined();
  });

  it('GIVEN /files/{proxy+} WHEN rendered for REST THEN the HTTP_PROXY URI fills {proxy} once', () => {
    const p = asRest(planOf('rest'));
    const d = renderRestDefinition(p, restFunctionUris(restFunctionNames('Stack', p), IMPORT_VARIABLES));
    expect(d.paths['/files/{proxy+}']!.get!['x-amazon-apigateway-integration']).toMatchObject({
      uri: 'https://files.internal/v1/files/{proxy}',
    });
  });

  it('GIVEN /files/{proxy+} WHEN rendered for an HTTP API THEN the HTTP_PROXY URI fills {proxy} once', () => {
    const refs: HttpFunctionRefs = {
      partition: 'aws',
      region: 'eu-west-1',
      account: '123456789012',
      proxyArn: (s) => s,
      aggregatorArn: (a) => a,
    };
    const d = renderHttpOpenApi(asHttp(planOf('http')), { refs }) as Doc;
    expect(integrationOf(d, d.paths['/files/{proxy+}']!.get!)).toMatchObject({ uri: 'https://files.internal/v1/files/{proxy}' });
  });

  it('GIVEN a prefix route WHEN planned THEN its greedy child is the {proxy+} resource below its path', () => {
    const route = planSpec(
      validateConfig({
        services: { files: { url: 'https://files.internal' } },
        gateways: { g: { routes: [{ service: 'files', paths: ['/files'] }] } },
      }),
    ).gateways[0]!.routes[0]!;
    expect(route.greedyChild).toBe('/files/{proxy+}');
  });
});
