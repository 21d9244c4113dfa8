// Every alarm the plan lists is in the template, on REST and HTTP gateways alike, with its widget, its topic and the saved queries.
import { describe, expect, it } from 'vitest';
import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Match } from 'aws-cdk-lib/assertions';
import { GatewayObservability } from '../../lib/constructs/gateway-observability';
import { planSpec } from '../../lib/plan/plan';
import { validateConfig } from '../../lib/config/load';
import { METRICS_NAMESPACE } from '../../lambdas/contract/metric-names';
import type { FunctionRef } from '../../lib/plan/observability';
import type { GatewayPlan } from '../../lib/plan/types';
import { observedSpec } from '../support/observed-spec';
import { baseSpec, synthSpec, type Synthesized } from '../support/synth';

type Resource = { Type: string; Properties: Record<string, unknown> };

function dashboardOf(s: Synthesized): { widgets: { properties: { title?: string; metrics?: unknown[][]; region?: string } }[] } {
  const [dashboard] = Object.values(s.template.findResources('AWS::CloudWatch::Dashboard'));
  const parts = dashboard!.Properties.DashboardBody['Fn::Join'][1] as unknown[];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : '<ref>')).join(''));
}

function alarmNamed(s: Synthesized, name: string): Resource {
  const found = Object.values(s.template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: name } })) as Resource[];
  expect(found, name).toHaveLength(1);
  return found[0]!;
}

/** The POWERTOOLS_SERVICE_NAME of the function a FunctionName dimension refers to. */
function serviceOfFunction(s: Synthesized, dimension: unknown): string {
  const id = (dimension as { Ref: string }).Ref;
  const fn = s.template.toJSON().Resources[id] as Resource;
  expect(fn.Type).toBe('AWS::Lambda::Function');
  return (fn.Properties.Environment as { Variables: Record<string, string> }).Variables.POWERTOOLS_SERVICE_NAME!;
}

function serviceOf(g: GatewayPlan, ref: FunctionRef): string | undefined {
  if (ref.kind === 'proxy') return g.proxies.find((p) => p.service === ref.service)!.serviceName;
  if (ref.kind === 'aggregator') return g.aggregators.find((a) => a.name === ref.aggregate)!.serviceName;
  if (ref.kind === 'authorizer') return g.authorizer!.serviceName;
  return undefined;
}

describe.each(['rest', 'http'] as const)('alarms and widgets of a %s gateway with every resilience feature', (flavor) => {
  const s = synthSpec(observedSpec(flavor));
  const g = s.stack.gatehouse.plan.gateways[0]!;
  const planned = g.observability.alarmPlans;
  const [topic] = Object.keys(s.template.findResources('AWS::SNS::Topic'));

  it('creates every planned alarm, each notifying the topic on alarm and recovery', () => {
    expect(planned.length).toBe(26);
    s.template.resourceCountIs('AWS::CloudWatch::Alarm', planned.length);
    for (const a of planned) {
      const alarm = alarmNamed(s, a.name);
      expect(alarm.Properties).toMatchObject({
        AlarmDescription: a.description,
        AlarmActions: [{ Ref: topic }],
        OKActions: [{ Ref: topic }],
      });
    }
  });

  it('alarms on each Gatehouse metric with its threshold and the exact dimensions the handler publishes', () => {
    const gatehouse = planned.filter((a) => a.metric.kind === 'gatehouse');
    expect(gatehouse.length).toBe(16);
    for (const a of gatehouse) {
      if (a.metric.kind !== 'gatehouse') continue;
      const dims = Object.entries(a.metric.dimensions).map(([Name, Value]) => ({ Name, Value }));
      expect(alarmNamed(s, a.name).Properties).toMatchObject({
        Namespace: METRICS_NAMESPACE,
        MetricName: a.metric.metric,
        Statistic: 'Sum',
        Period: 60,
        Threshold: a.threshold,
        ComparisonOperator: a.comparison,
        EvaluationPeriods: a.evaluationPeriods,
        DatapointsToAlarm: a.datapointsToAlarm,
      });
      expect(alarmNamed(s, a.name).Properties.Dimensions).toEqual(expect.arrayContaining(dims));
      expect((alarmNamed(s, a.name).Properties.Dimensions as unknown[]).length).toBe(dims.length);
    }
  });

  it("alarms on an aggregate part's retries and retry-budget refusals, by service and part, charted with the proxy's retries", () => {
    const service = g.aggregators[0]!.serviceName;
    // The template lists the alarm's dimensions sorted by name.
    const dimensions = [
      { Name: 'part', Value: 'recs' },
      { Name: 'service', Value: service },
    ];
    expect(alarmNamed(s, `${g.apiName}-aggregator-home-recs-retries`).Properties).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: 'AggregatePartRetries',
      Dimensions: dimensions,
      Statistic: 'Sum',
      Period: 60,
      Threshold: 50,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarmNamed(s, `${g.apiName}-aggregator-home-recs-retry-budget-exhausted`).Properties).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: 'AggregatePartRetryBudgetExhausted',
      Dimensions: dimensions,
      Threshold: 1,
    });
    const retries = dashboardOf(s).widgets.find((w) => w.properties.title === 'Retries')!.properties.metrics!;
    for (const metric of ['ProxyRetries', 'ProxyRetryBudgetExhausted', 'AggregatePartRetries', 'AggregatePartRetryBudgetExhausted']) {
      expect(
        retries.some((line) => line[0] === METRICS_NAMESPACE && line[1] === metric),
        metric,
      ).toBe(true);
    }
  });

  it('alarms on the throttles and concurrency of each Gatehouse function, found by the function whose service it names', () => {
    const lambdas = planned.filter((a) => a.metric.kind === 'lambda');
    expect(lambdas.map((a) => a.id)).toEqual([
      'ProxyOrdersThrottles',
      'ProxyOrdersConcurrency',
      'AggregatorHomeThrottles',
      'AggregatorHomeConcurrency',
      'AuthorizerThrottles',
      'AuthorizerConcurrency',
    ]);
    for (const a of lambdas) {
      if (a.metric.kind !== 'lambda') continue;
      const p = alarmNamed(s, a.name).Properties;
      expect(p).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: a.metric.metric, Threshold: a.threshold, Statistic: a.statistic });
      const [dimension] = p.Dimensions as { Name: string; Value: unknown }[];
      expect(dimension!.Name).toBe('FunctionName');
      expect(serviceOfFunction(s, dimension!.Value)).toBe(serviceOf(g, a.metric.fn));
    }
  });

  it("charts each alarm's metric on the dashboard, grouped by what it watches", () => {
    const d = dashboardOf(s);
    const titles = d.widgets.map((w) => w.properties.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Internal errors',
        'Circuit breaker opens',
        'Refused by an open circuit',
        'Degraded answers',
        'Retries',
        'Rate limits',
        'Lambda throttles',
        'Lambda concurrency',
      ]),
    );
    for (const a of planned) {
      const m = a.metric;
      if (m.kind !== 'gatehouse' || a.widget === 'Authorizer decisions') continue;
      const metrics = d.widgets.find((w) => w.properties.title === a.widget)!.properties.metrics!;
      const [key, value] = Object.entries(m.dimensions).find(([k]) => k !== 'service') ?? ['service', m.dimensions.service];
      expect(
        metrics.some((line) => line[0] === METRICS_NAMESPACE && line[1] === m.metric && line.includes(key) && line.includes(value)),
        a.name,
      ).toBe(true);
    }
  });

  it("filters API metrics on the API's unique name (REST) or its id (HTTP)", () => {
    const p = alarmNamed(s, `${g.apiName}-p99-latency`).Properties;
    const metric = (p.Metrics as { MetricStat?: { Metric: { Dimensions: { Name: string; Value: unknown }[] } } }[])[0]!.MetricStat!.Metric;
    if (flavor === 'rest') expect(metric.Dimensions).toContainEqual({ Name: 'ApiName', Value: 'Test-public' });
    else expect(metric.Dimensions).toContainEqual({ Name: 'ApiId', Value: { Ref: expect.any(String) } });
  });

  it("saves the correlation-id, top-error-route and slowest-upstream queries over the gateway's log groups", () => {
    s.template.resourceCountIs('AWS::Logs::QueryDefinition', 3);
    const byId = Object.values(
      s.template.findResources('AWS::Logs::QueryDefinition', { Properties: { Name: 'gatehouse/Test-public/request-by-correlation-id' } }),
    )[0] as Resource;
    // The access log, the proxy's, the aggregator's and the authorizer's log groups.
    expect(byId.Properties.LogGroupNames).toHaveLength(4);
    s.template.hasResourceProperties('AWS::Logs::QueryDefinition', {
      Name: 'gatehouse/Test-public/top-4xx-5xx-routes',
      QueryString: Match.stringLikeRegexp('stats count\\(\\*\\) as responses by httpMethod, route, status'),
    });
    const slow = Object.values(
      s.template.findResources('AWS::Logs::QueryDefinition', { Properties: { Name: 'gatehouse/Test-public/slowest-upstreams' } }),
    )[0] as Resource;
    // The access log (direct routes' integration latency) and the proxy's (each target's time).
    expect(slow.Properties.LogGroupNames).toHaveLength(2);
  });

  it("matches the plan's resource estimate", () => {
    expect(Object.keys(s.templates['Test.template.json']!.Resources!)).toHaveLength(s.stack.gatehouse.plan.stackResources);
  });
});

describe('GatewayObservability on its own', () => {
  it('GIVEN a plan whose alarms name a function the gateway lacks WHEN rendered THEN it refuses, naming the function', () => {
    const plan = planSpec(validateConfig(observedSpec()), { stackName: 'Shop' }).gateways[0]!;
    const stack = new Stack();
    const api = new apigw.RestApi(stack, 'Api', { cloudWatchRole: false });
    api.root.addMethod('GET', new apigw.MockIntegration());
    expect(
      () =>
        new GatewayObservability(stack, 'Observability', { plan, api, stage: api.deploymentStage, hasAuthorizer: false, functions: {} }),
    ).toThrow(/gateway "public" has no proxy-orders function for its alarms/);
  });
});

describe('edge alarms and widgets', () => {
  it("GIVEN a regional web ACL WHEN synthesized THEN each rule's blocked requests are alarmed on with the metric names the ACL is rendered with", () => {
    const s = synthSpec({
      ...baseSpec({ edge: { waf: { rateLimitPerIp: { limit: 500 }, geoBlock: ['KP'] } } }),
      account: { region: 'eu-west-1' },
    });
    const acl = Object.values(s.template.findResources('AWS::WAFv2::WebACL'))[0]!.Properties as {
      VisibilityConfig: { MetricName: string };
      Rules: { Name: string; VisibilityConfig: { MetricName: string } }[];
    };
    const waf = s.stack.gatehouse.plan.gateways[0]!.observability.alarmPlans.filter((a) => a.metric.kind === 'waf');
    expect(waf).toHaveLength(acl.Rules.length);
    for (const rule of acl.Rules) {
      s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: Match.stringLikeRegexp(`^Test-public-waf-regional-${rule.Name}-blocked$`),
        Namespace: 'AWS/WAFV2',
        MetricName: 'BlockedRequests',
        Threshold: 100,
        Dimensions: [
          { Name: 'Region', Value: 'eu-west-1' },
          { Name: 'Rule', Value: rule.VisibilityConfig.MetricName },
          { Name: 'WebACL', Value: acl.VisibilityConfig.MetricName },
        ],
      });
    }
    expect(dashboardOf(s).widgets.map((w) => w.properties.title)).toContain('WAF blocked requests');
  });

  it("GIVEN CloudFront with the stack in us-east-1 WHEN synthesized THEN its 5xx rate is alarmed on by distribution, and its web ACL's rules without a Region", () => {
    const s = synthSpec({
      ...baseSpec({ edge: { cloudfront: {}, waf: { rateLimitPerIp: { limit: 500 } } } }),
      account: { region: 'us-east-1' },
    });
    const cloudfrontWaf = s.stack.gatehouse.plan.gateways[0]!.observability.alarmPlans.filter(
      (a) => a.metric.kind === 'waf' && a.metric.webAcl === 'cloudfront',
    );
    expect(cloudfrontWaf.length).toBeGreaterThan(0);
    for (const a of cloudfrontWaf) {
      const dims = alarmNamed(s, a.name).Properties.Dimensions as { Name: string }[];
      expect(dims.map((d) => d.Name)).toEqual(['Rule', 'WebACL']);
    }
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Test-public-cloudfront-5xx-rate',
      Namespace: 'AWS/CloudFront',
      MetricName: '5xxErrorRate',
      Statistic: 'Average',
      Threshold: 1,
      Dimensions: Match.arrayWith([
        { Name: 'DistributionId', Value: { Ref: Match.anyValue() } },
        { Name: 'Region', Value: 'Global' },
      ]),
    });
  });

  it('GIVEN CloudFront with the stack elsewhere WHEN synthesized THEN the dashboard charts its 5xx rate from us-east-1 and there is no alarm on it', () => {
    const s = synthSpec({ ...baseSpec({ edge: { cloudfront: {} } }), account: { region: 'eu-west-1' } });
    expect(Object.values(s.template.findResources('AWS::CloudWatch::Alarm', { Properties: { Namespace: 'AWS/CloudFront' } }))).toHaveLength(
      0,
    );
    const widget = dashboardOf(s).widgets.find((w) => w.properties.title === 'CloudFront 5xx rate (%)')!;
    expect(JSON.stringify(widget.properties.metrics)).toContain('"region":"us-east-1"');
  });
});
