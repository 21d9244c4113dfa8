// Every default of schema.ts, read back from a parsed minimal spec.
import { describe, expect, it } from 'vitest';
import { parseConfig, validateConfig } from '../../lib/config/load';
import { keyedSpec, minimalSpec, patched } from './fixtures';

describe('defaults of a minimal spec', () => {
  const spec = validateConfig(minimalSpec());
  const gateway = spec.gateways.public!;
  const route = gateway.routes[0]!;

  it('GIVEN no version WHEN the spec is validated THEN version defaults to 1', () => {
    expect(spec.version).toBe(1);
  });

  it('GIVEN no account section WHEN the spec is validated THEN manageCloudWatchRole defaults to false', () => {
    expect(spec.account.manageCloudWatchRole).toBe(false);
  });

  it("GIVEN no account quotas WHEN the spec is validated THEN they default to AWS's 10000 requests/s and 300 resources per API and an 8192-character resource policy", () => {
    expect(spec.account.quotas).toEqual({
      requestsPerSecond: 10_000,
      resourcesPerApi: 300,
      routesPerApi: 300,
      integrationsPerApi: 300,
      resourcePolicyChars: 8192,
    });
  });

  it('GIVEN a service without timeoutMs WHEN the spec is validated THEN timeoutMs defaults to 10000', () => {
    expect(spec.services.users).toEqual({
      url: 'https://users.internal:8080',
      timeoutMs: 10_000,
      allowPlaintext: false,
      clientCertificate: false,
      proxy: { memoryMb: 256 },
    });
  });

  it('GIVEN a service without resilience settings WHEN the spec is validated THEN none is switched on', () => {
    const users = spec.services.users!;
    for (const feature of ['targets', 'transform', 'circuitBreaker', 'retries', 'fallback', 'lastGood'] as const)
      expect(users[feature]).toBeUndefined();
  });

  it('GIVEN a gateway without flavor WHEN the spec is validated THEN flavor defaults to rest', () => {
    expect(gateway.flavor).toBe('rest');
  });

  it('GIVEN a gateway without endpoint WHEN the spec is validated THEN the endpoint type defaults to REGIONAL with no VPC endpoints', () => {
    expect(gateway.endpoint).toEqual({ type: 'REGIONAL' });
  });

  it('GIVEN a gateway without stage WHEN the spec is validated THEN the stage is prod, throttled at 1000/2000, traced, with 30-day access logs and execution logs left to the planner (ERROR on REST APIs)', () => {
    expect(gateway.stage).toEqual({
      name: 'prod',
      throttle: { rate: 1_000, burst: 2_000 },
      tracing: true,
      accessLogs: { enabled: true, retentionDays: 30 },
    });
  });

  it('GIVEN a gateway without correlationId WHEN the spec is validated THEN the headers default to X-Request-ID and X-Gateway-Request-ID', () => {
    expect(gateway.correlationId).toEqual({ header: 'X-Request-ID', gatewayHeader: 'X-Gateway-Request-ID' });
  });

  it('GIVEN a gateway without cors WHEN the spec is validated THEN cors stays undefined', () => {
    expect(gateway.cors).toBeUndefined();
  });

  it('GIVEN a route with only service and paths WHEN the spec is validated THEN methods default to [ANY], match to prefix, stripPath and apiKey to false, and no throttle', () => {
    expect(route).toEqual({ service: 'users', paths: ['/api/users'], match: 'prefix', methods: ['ANY'], stripPath: false, apiKey: false });
  });

  it('GIVEN a gateway without plans or consumers WHEN the spec is validated THEN both default to {}', () => {
    expect(gateway.plans).toEqual({});
    expect(gateway.consumers).toEqual({});
  });
});

describe('defaults of optional sections', () => {
  const spec = validateConfig(keyedSpec());
  const gateway = spec.gateways.public!;

  it('GIVEN cors with only origins WHEN the spec is validated THEN methods, headers, exposeHeaders, credentials false and maxAgeSeconds 600 are filled in', () => {
    expect(gateway.cors).toEqual({
      origins: ['https://app.example.com'],
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
      headers: ['Content-Type', 'Authorization', 'X-Api-Key', 'X-Request-ID'],
      exposeHeaders: ['X-Request-ID'],
      credentials: false,
      maxAgeSeconds: 600,
    });
  });

  it('GIVEN a plan route throttle without methods WHEN the spec is validated THEN its methods default to [ANY]', () => {
    expect(gateway.plans.standard!.routeThrottles).toEqual([{ path: '/api/orders', methods: ['ANY'], throttle: { rate: 10, burst: 20 } }]);
  });

  it('GIVEN a plan without routeThrottles WHEN the spec is validated THEN routeThrottles defaults to []', () => {
    const parsed = validateConfig(patched(keyedSpec(), [['gateways', 'public', 'plans', 'standard'], { description: 'flat' }]));
    expect(parsed.gateways.public!.plans.standard).toEqual({ description: 'flat', routeThrottles: [] });
  });

  it('GIVEN a consumer without enabled WHEN the spec is validated THEN enabled defaults to true', () => {
    expect(gateway.consumers.acme).toEqual({ plans: ['standard'], enabled: true });
  });
});

describe('defaults inside partly written sections', () => {
  it('GIVEN a stage with only a name WHEN the spec is validated THEN throttle, tracing and access logs still default', () => {
    const parsed = validateConfig(patched(minimalSpec(), [['gateways', 'public', 'stage'], { name: 'v1' }]));
    expect(parsed.gateways.public!.stage).toEqual({
      name: 'v1',
      throttle: { rate: 1_000, burst: 2_000 },
      tracing: true,
      accessLogs: { enabled: true, retentionDays: 30 },
    });
  });

  it('GIVEN accessLogs with only retentionDays WHEN the spec is validated THEN enabled still defaults to true', () => {
    const parsed = validateConfig(patched(minimalSpec(), [['gateways', 'public', 'stage', 'accessLogs'], { retentionDays: 90 }]));
    expect(parsed.gateways.public!.stage.accessLogs).toEqual({ enabled: true, retentionDays: 90 });
  });

  it('GIVEN accessLogs with only enabled: false WHEN the spec is validated THEN retentionDays still defaults to 30', () => {
    const parsed = validateConfig(patched(minimalSpec(), [['gateways', 'public', 'stage', 'accessLogs'], { enabled: false }]));
    expect(parsed.gateways.public!.stage.accessLogs).toEqual({ enabled: false, retentionDays: 30 });
  });

  it('GIVEN correlationId with only header WHEN the spec is validated THEN gatewayHeader still defaults to X-Gateway-Request-ID', () => {
    const parsed = validateConfig(patched(minimalSpec(), [['gateways', 'public', 'correlationId'], { header: 'X-Correlation-ID' }]));
    expect(parsed.gateways.public!.correlationId).toEqual({ header: 'X-Correlation-ID', gatewayHeader: 'X-Gateway-Request-ID' });
  });

  it('GIVEN account quotas with only requestsPerSecond WHEN the spec is validated THEN resourcesPerApi, routesPerApi and integrationsPerApi still default to 300', () => {
    const parsed = validateConfig(patched(minimalSpec(), [['account', 'quotas'], { requestsPerSecond: 20_000 }]));
    expect(parsed.account).toEqual({
      manageCloudWatchRole: false,
      keyExpiry: { enabled: true, warningDays: 14 },
      quotas: { requestsPerSecond: 20_000, resourcesPerApi: 300, routesPerApi: 300, integrationsPerApi: 300, resourcePolicyChars: 8192 },
    });
  });

  it('GIVEN explicit values for defaulted fields WHEN the spec is validated THEN the explicit values win', () => {
    const parsed = validateConfig(
      patched(
        minimalSpec(),
        [['version'], 1],
        [['services', 'users', 'timeoutMs'], 2_500],
        [['gateways', 'public', 'endpoint', 'type'], 'EDGE'],
        [
          ['gateways', 'public', 'routes', 0, 'methods'],
          ['GET', 'HEAD'],
        ],
        [['gateways', 'public', 'routes', 0, 'stripPath'], true],
        [['gateways', 'public', 'stage', 'tracing'], false],
        [['gateways', 'public', 'stage', 'executionLogs'], 'OFF'],
      ),
    );
    expect(parsed.services.users!.timeoutMs).toBe(2_500);
    expect(parsed.gateways.public!.endpoint.type).toBe('EDGE');
    expect(parsed.gateways.public!.routes[0]!.methods).toEqual(['GET', 'HEAD']);
    expect(parsed.gateways.public!.routes[0]!.stripPath).toBe(true);
    expect(parsed.gateways.public!.stage.tracing).toBe(false);
    expect(parsed.gateways.public!.stage.executionLogs).toBe('OFF');
  });

  it('GIVEN the minimal spec as YAML text WHEN parsed THEN it yields the same defaults as the object', () => {
    const yaml = [
      'services:',
      '  users:',
      '    url: https://users.internal:8080',
      'gateways:',
      '  public:',
      '    routes:',
      '      - service: users',
      '        paths: [/api/users]',
      '',
    ].join('\n');
    expect(parseConfig(yaml)).toEqual(validateConfig(minimalSpec()));
  });
});
