// A gateway's plan is typed by flavor: REST-only and HTTP-only decisions live on their own plan, already final.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../lib/config/load';
import { planSpec } from '../../lib/plan/plan';
import { isHttpGateway, isRestGateway } from '../../lib/plan/types';
import { asHttp, asRest } from '../support/flavors';

const gateway = (flavor: 'rest' | 'http', extra: Record<string, unknown> = {}) =>
  planSpec(
    validateConfig({
      services: { users: { url: 'https://users.internal' }, orders: { url: 'https://orders.internal' } },
      gateways: {
        g: {
          flavor,
          routes: [
            { service: 'users', paths: ['/users'], methods: ['GET', 'POST'], throttle: { rate: 10, burst: 20 } },
            { service: 'orders', paths: ['/orders'], methods: ['ANY'], match: 'exact', throttle: { rate: 5, burst: 6 } },
            { service: 'orders', paths: ['/free'] },
          ],
          ...extra,
        },
      },
    }),
  ).gateways[0]!;

describe('RestGatewayPlan', () => {
  it('GIVEN a REST gateway with CORS WHEN planned THEN it is a RestGatewayPlan with its endpoint, keys, gateway responses and execution logs', () => {
    const g = gateway('rest', { cors: { origins: ['https://app.example.com'] } });
    expect(isRestGateway(g)).toBe(true);
    expect(isHttpGateway(g)).toBe(false);
    const rest = asRest(g);
    expect(rest.endpoint).toEqual({ type: 'REGIONAL', vpcEndpointIds: [] });
    expect(rest.apiKeySource).toBe('HEADER');
    expect(rest.stage.executionLogs).toBe('ERROR');
    expect(rest.gatewayResponses).toEqual(expect.arrayContaining(['DEFAULT_4XX', 'DEFAULT_5XX']));
    expect(g).not.toHaveProperty('nativeJwtAuthorizer');
  });

  it('GIVEN routes with their own throttle WHEN planned THEN the stage has one method setting per resource path and method (ANY as *), and none for the others', () => {
    expect(asRest(gateway('rest')).stage.methodThrottles).toEqual({
      '/users/GET': { rate: 10, burst: 20 },
      '/users/POST': { rate: 10, burst: 20 },
      '/users/{proxy+}/GET': { rate: 10, burst: 20 },
      '/users/{proxy+}/POST': { rate: 10, burst: 20 },
      '/orders/*': { rate: 5, burst: 6 },
    });
  });

  it("GIVEN a usage plan with route throttles WHEN planned THEN each plan's keys are `/path/METHOD` on both paths of the keyed route, for the methods it names", () => {
    const keyed = {
      plans: { gold: { routeThrottles: [{ path: '/users', methods: ['GET'], throttle: { rate: 3, burst: 4 } }] }, free: {} },
      routes: [{ service: 'users', paths: ['/users'], methods: ['GET', 'POST'], apiKey: true }],
    };
    expect(asRest(gateway('rest', keyed)).planThrottles).toEqual({
      gold: { '/users/GET': { rate: 3, burst: 4 }, '/users/{proxy+}/GET': { rate: 3, burst: 4 } },
      free: {},
    });
  });
});

describe('HttpGatewayPlan', () => {
  it('GIVEN an HTTP gateway WHEN planned THEN it is an HttpGatewayPlan without the REST-only fields', () => {
    const g = gateway('http');
    expect(isHttpGateway(g)).toBe(true);
    expect(isRestGateway(g)).toBe(false);
    for (const restOnly of [
      'endpoint',
      'plans',
      'planThrottles',
      'consumers',
      'apiKeySource',
      'gatewayResponses',
      'binaryMediaTypes',
      'clientCertificate',
    ])
      expect(g).not.toHaveProperty(restOnly);
    expect(g.stage).not.toHaveProperty('executionLogs');
  });

  it('GIVEN routes with their own throttle WHEN planned THEN the stage has one route setting per route key, and none for the others', () => {
    expect(asHttp(gateway('http')).stage.routeThrottles).toEqual({
      'GET /users': { rate: 10, burst: 20 },
      'POST /users': { rate: 10, burst: 20 },
      'GET /users/{proxy+}': { rate: 10, burst: 20 },
      'POST /users/{proxy+}': { rate: 10, burst: 20 },
      'ANY /orders': { rate: 5, burst: 6 },
    });
  });

  it('GIVEN no route throttles WHEN planned THEN neither flavor has stage route settings', () => {
    const none = { routes: [{ service: 'users', paths: ['/users'] }] };
    expect(asHttp(gateway('http', none)).stage.routeThrottles).toEqual({});
    expect(asRest(gateway('rest', none)).stage.methodThrottles).toEqual({});
  });
});
