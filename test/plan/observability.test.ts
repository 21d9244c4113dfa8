// The observability plan: API names unique per stack, one alarm per feature the gateway has, thresholds from the config, and explain listing them.
import { describe, expect, it } from 'vitest';
import { explainPlan } from '../../lib/plan/explain';
import { API_NAME_MAX_LENGTH, CLOUDFRONT_METRICS_REGION, uniqueApiName } from '../../lib/plan/observability';
import { planSpec } from '../../lib/plan/plan';
import { validateConfig } from '../../lib/config/load';
import { observedSpec } from '../support/observed-spec';
import { baseSpec } from '../support/synth';
import { asHttp } from '../support/flavors';

const plan = (spec: unknown, stackName?: string) => planSpec(validateConfig(spec), { stackName });
const gateway = (spec: unknown, stackName = 'Shop') => plan(spec, stackName).gateways[0]!;
const ids = (g: ReturnType<typeof gateway>) => g.observability.alarmPlans.map((a) => a.id);

describe('uniqueApiName', () => {
  it('GIVEN a stack WHEN a gateway is named THEN the API is <stack>-<gateway>', () => {
    expect(uniqueApiName('public', 'Shop')).toBe('Shop-public');
  });

  it('GIVEN no stack (a plan made outside one) WHEN named THEN the API keeps the gateway name', () => {
    expect(uniqueApiName('public', undefined)).toBe('public');
  });

  it('GIVEN a name past the 128 characters an HTTP API allows WHEN named THEN it is cut and ends in a hash, so two long names stay apart', () => {
    const a = uniqueApiName('public', 'S'.repeat(130) + 'a');
    const b = uniqueApiName('public', 'S'.repeat(130) + 'b');
    expect(a).toHaveLength(API_NAME_MAX_LENGTH);
    expect(a).toMatch(/^S+-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });
});

describe('two stacks with a "public" gateway in one region', () => {
  const [one, two] = ['Shop', 'Blog'].map((stack) => gateway(observedSpec(), stack));

  it("name their APIs, alarms and functions' metric services apart", () => {
    expect([one!.apiName, two!.apiName]).toEqual(['Shop-public', 'Blog-public']);
    const names = (g: typeof one) => new Set(g!.observability.alarmPlans.map((a) => a.name));
    expect([...names(one)].filter((n) => names(two).has(n))).toEqual([]);
    expect(one!.proxies[0]!.serviceName).toBe('gatehouse-proxy-Shop-public-orders');
    expect(two!.proxies[0]!.serviceName).toBe('gatehouse-proxy-Blog-public-orders');
    expect(one!.aggregators[0]!.serviceName).toBe('gatehouse-aggregator-Shop-public-api-home');
    expect(one!.authorizer!.serviceName).toBe('gatehouse-authorizer-Shop-public');
  });
});

describe('alarms follow the features a gateway has', () => {
  it('GIVEN direct routes only WHEN planned THEN only the four API alarms, and no function alarms', () => {
    expect(ids(gateway(baseSpec()))).toEqual(['ServerErrorRate', 'LatencyP99', 'RequestRateAnomaly', 'ThrottledAlarm']);
  });

  it.each(['rest', 'http'] as const)('GIVEN every resilience feature on a %s gateway WHEN planned THEN each has its alarm', (flavor) => {
    expect(ids(gateway(observedSpec(flavor)))).toEqual([
      'ServerErrorRate',
      'LatencyP99',
      'RequestRateAnomaly',
      'ThrottledAlarm',
      'OrdersProxyInternalErrors',
      'OrdersV1BreakerOpens',
      'OrdersV2BreakerOpens',
      'OrdersCircuitOpenRejected',
      'OrdersDegradedFallback',
      'OrdersDegradedLastGood',
      'OrdersRetries',
      'OrdersRetryBudgetExhausted',
      'OrdersOrdersRateLimitDenied',
      'OrdersOrdersRateLimitStoreUnavailable',
      'HomeAggregatorErrors',
      'HomeAggregateDegraded',
      'HomeRecsPartRetries',
      'HomeRecsPartRetryBudgetExhausted',
      'HomeRecsDefaultBreakerOpens',
      'AuthorizerJwksFailures',
      'ProxyOrdersThrottles',
      'ProxyOrdersConcurrency',
      'AggregatorHomeThrottles',
      'AggregatorHomeConcurrency',
      'AuthorizerThrottles',
      'AuthorizerConcurrency',
    ]);
  });

  it('GIVEN aggregate parts whose services have no retries WHEN planned THEN no part has a retry alarm', () => {
    const spec = observedSpec();
    delete (spec.services as { recs: Record<string, unknown> }).recs.retries;
    expect(ids(gateway(spec)).filter((id) => id.includes('Part'))).toEqual([]);
  });

  it('GIVEN an HTTP gateway whose JWT check is the native authorizer WHEN planned THEN there is no JWKS or authorizer-function alarm (no Gatehouse function checks tokens)', () => {
    const spec = observedSpec('http');
    const routes = (spec.gateways as { public: { routes: Record<string, unknown>[] } }).public.routes;
    routes[0] = { ...routes[0], auth: 'jwt' };
    const g = gateway(spec);
    expect(asHttp(g).nativeJwtAuthorizer).toBeDefined();
    expect(ids(g).filter((id) => id.startsWith('Authorizer'))).toEqual([]);
  });

  it('GIVEN alarms watch Gatehouse metrics WHEN planned THEN each names the metric, its full dimension set and its emitter', () => {
    const alarms = gateway(observedSpec()).observability.alarmPlans;
    const byId = (id: string) => alarms.find((a) => a.id === id)!.metric;
    expect(byId('OrdersV1BreakerOpens')).toEqual({
      kind: 'gatehouse',
      metric: 'CircuitBreakerOpened',
      dimensions: { service: 'gatehouse-proxy-Shop-public-orders', breaker: 'orders#v1' },
      emittedBy: 'proxy',
    });
    expect(byId('OrdersDegradedLastGood')).toMatchObject({ metric: 'ProxyDegraded', dimensions: { reason: 'last-good' } });
    expect(byId('OrdersOrdersRateLimitDenied')).toMatchObject({ metric: 'RateLimitDenied', dimensions: { scope: 'public#orders' } });
    expect(byId('HomeRecsPartRetries')).toEqual({
      kind: 'gatehouse',
      metric: 'AggregatePartRetries',
      dimensions: { service: 'gatehouse-aggregator-Shop-public-api-home', part: 'recs' },
      emittedBy: 'aggregator',
    });
    expect(byId('HomeRecsPartRetryBudgetExhausted')).toMatchObject({
      metric: 'AggregatePartRetryBudgetExhausted',
      dimensions: { part: 'recs' },
    });
    expect(byId('AuthorizerJwksFailures')).toEqual({
      kind: 'gatehouse',
      metric: 'AuthorizerDenied',
      dimensions: { service: 'gatehouse-authorizer-Shop-public', reason: 'jwks_unavailable' },
      emittedBy: 'authorizer',
    });
  });

  it('GIVEN no thresholds WHEN planned THEN internal errors, breaker opens and JWKS failures alarm on any, and rate-limit denials need 5 minutes in a row', () => {
    const alarms = gateway(observedSpec()).observability.alarmPlans;
    const of = (id: string) => alarms.find((a) => a.id === id)!;
    for (const id of [
      'OrdersProxyInternalErrors',
      'HomeAggregatorErrors',
      'OrdersV1BreakerOpens',
      'AuthorizerJwksFailures',
      'OrdersRetryBudgetExhausted',
      'HomeRecsPartRetryBudgetExhausted',
    ]) {
      expect(of(id)).toMatchObject({
        threshold: 1,
        comparison: 'GreaterThanOrEqualToThreshold',
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
      });
    }
    expect(of('OrdersOrdersRateLimitDenied')).toMatchObject({ threshold: 10, evaluationPeriods: 5, datapointsToAlarm: 5 });
    expect(of('OrdersDegradedFallback').threshold).toBe(10);
    expect(of('OrdersRetries').threshold).toBe(50);
    expect(of('HomeRecsPartRetries')).toMatchObject({ threshold: 50, widget: 'Retries' });
    expect(of('ProxyOrdersConcurrency')).toMatchObject({ threshold: 16, statistic: 'Maximum' });
    expect(of('AggregatorHomeConcurrency').threshold).toBe(800);
  });

  it('GIVEN configured thresholds WHEN planned THEN the alarms use them', () => {
    const alarms = {
      breakerOpens: 3,
      circuitOpenRejectedPerMinute: 4,
      degradedPerMinute: 5,
      retriesPerMinute: 6,
      retryBudgetExhaustedPerMinute: 7,
      rateLimitDeniedPerMinute: 8,
      rateLimitStoreUnavailablePerMinute: 9,
      jwksFailuresPerMinute: 11,
      lambdaThrottlesPerMinute: 12,
      concurrencyPercent: 50,
    };
    const planned = gateway(observedSpec('rest', { observability: { alarms } })).observability.alarmPlans;
    const threshold = (id: string) => planned.find((a) => a.id === id)!.threshold;
    expect(
      [
        'OrdersV1BreakerOpens',
        'OrdersCircuitOpenRejected',
        'OrdersDegradedFallback',
        'OrdersRetries',
        'OrdersRetryBudgetExhausted',
        'OrdersOrdersRateLimitDenied',
        'OrdersOrdersRateLimitStoreUnavailable',
        'AuthorizerJwksFailures',
        'ProxyOrdersThrottles',
        'ProxyOrdersConcurrency',
        'HomeRecsPartRetries',
        'HomeRecsPartRetryBudgetExhausted',
      ].map(threshold),
    ).toEqual([3, 4, 5, 6, 7, 8, 9, 11, 12, 10, 6, 7]);
  });
});

describe('edge alarms', () => {
  const edged = (region: string) =>
    gateway({
      ...baseSpec({ edge: { cloudfront: {}, waf: { rateLimitPerIp: { limit: 500 } } } }),
      account: { region },
    });

  it('GIVEN CloudFront in us-east-1 WHEN planned THEN its 5xx rate and each CloudFront WAF rule have an alarm', () => {
    const g = edged(CLOUDFRONT_METRICS_REGION);
    const edge = g.observability.alarmPlans.filter((a) => a.metric.kind === 'waf' || a.metric.kind === 'cloudfront-5xx-rate');
    expect(edge.map((a) => a.metric)).toContainEqual({ kind: 'cloudfront-5xx-rate' });
    expect(edge.filter((a) => a.metric.kind === 'waf').length).toBeGreaterThan(0);
    expect(edge.find((a) => a.id === 'CloudFront5xxRate')).toMatchObject({
      threshold: 1,
      statistic: 'Average',
      comparison: 'GreaterThanThreshold',
    });
    expect(g.observability.notes).toEqual([]);
  });

  it('GIVEN CloudFront with the stack elsewhere WHEN planned THEN no alarm on us-east-1 metrics, and a warning says why', () => {
    const p = plan(
      { ...baseSpec({ edge: { cloudfront: {}, waf: { rateLimitPerIp: { limit: 500 } } } }), account: { region: 'eu-west-1' } },
      'Shop',
    );
    const g = p.gateways[0]!;
    expect(
      g.observability.alarmPlans.filter(
        (a) => a.metric.kind === 'cloudfront-5xx-rate' || (a.metric.kind === 'waf' && a.metric.webAcl === 'cloudfront'),
      ),
    ).toEqual([]);
    expect(p.warnings).toContainEqual(
      expect.objectContaining({ code: 'CLOUDFRONT_ALARMS_NEED_US_EAST_1', where: 'gateways.public.edge.cloudfront' }),
    );
  });
});

describe('saved queries', () => {
  it('GIVEN access logs and functions WHEN planned THEN the correlation-id query spans the access log, authorizer, proxy and aggregator', () => {
    const [byId, top, slow] = gateway(observedSpec()).observability.queries;
    expect(byId!.logGroups).toEqual([
      'access',
      { kind: 'proxy', service: 'orders' },
      { kind: 'aggregator', aggregate: 'home' },
      { kind: 'authorizer' },
    ]);
    expect(byId!.query).toMatch(/filter requestId = "REPLACE-WITH-REQUEST-ID" or correlationId = "REPLACE-WITH-REQUEST-ID"/);
    expect(top).toMatchObject({ name: 'gatehouse/Shop-public/top-4xx-5xx-routes', logGroups: ['access'] });
    expect(slow!.logGroups).toEqual(['access', { kind: 'proxy', service: 'orders' }]);
  });

  it('GIVEN access logs off and no functions WHEN planned THEN there is nothing to query and no query', () => {
    expect(gateway(baseSpec({ stage: { accessLogs: { enabled: false } } })).observability.queries).toEqual([]);
  });
});

describe('explain', () => {
  const text = explainPlan(plan(observedSpec(), 'Shop'));

  it('lists every alarm with its threshold', () => {
    for (const alarm of gateway(observedSpec()).observability.alarmPlans) expect(text).toContain(`alarm ${alarm.name}: `);
    expect(text).toMatch(/alarm Shop-public-breaker-orders-v1-opens: the circuit of orders#v1 opened 1 or more times in a minute/);
    expect(text).toMatch(
      /alarm Shop-public-proxy-orders-concurrency: .* 16 or more instances at once \(80 % of its reserved concurrency of 20\)/,
    );
  });

  it('says the request-rate alarm is an anomaly band of standard deviations, not a ratio', () => {
    expect(text).toMatch(/anomaly-detection band, 3 standard deviations wide.*not a ratio to a baseline/);
  });

  it('says where the correlation id is filled and where API Gateway cannot', () => {
    expect(text).toMatch(/proxied and aggregate routes fill X-Request-ID with the gateway request id when the caller sent none/);
    expect(text).toMatch(/direct routes cannot .* a request without X-Request-ID reaches the upstream without it/);
  });
});
