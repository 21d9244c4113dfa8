import { describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { authorizerServiceName, DENY_REASON_DIMENSION, METRIC } from '../../lambdas/contract/authorizer-metrics';
import { METRICS_NAMESPACE } from '../../lambdas/contract/metric-names';
import { THROTTLED_METRIC } from '../../lib/constructs/gateway-observability';
import { baseSpec, synthSpec } from '../support/synth';

/** The dashboard body parsed back to JSON, CloudFormation references replaced by "<ref>". */
function dashboardOf(template: ReturnType<typeof synthSpec>['template']): {
  widgets: { properties: { title?: string; metrics?: unknown[][] } }[];
} {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const parts = dashboard!.Properties.DashboardBody['Fn::Join'][1] as unknown[];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : '<ref>')).join(''));
}

const widget = (d: ReturnType<typeof dashboardOf>, title: string) => d.widgets.find((w) => w.properties.title === title)?.properties;

describe('GatewayObservability defaults', () => {
  const s = synthSpec(baseSpec());

  it('creates one dashboard per gateway, named after the stack, gateway, stage and region (dashboards are global to the account)', () => {
    s.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    s.template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: { 'Fn::Join': ['', ['gatehouse-Test-public-prod-', { Ref: 'AWS::Region' }]] },
    });
    const d = dashboardOf(s.template);
    expect(d.widgets.map((w) => w.properties.title)).toEqual(['Requests', 'Error rate (%)', 'Latency (ms)', 'Throttled (429)', 'Alarms']);
    const names = (title: string) =>
      widget(d, title)!
        .metrics!.filter((m) => typeof m[0] === 'string')
        .map((m) => m[1]);
    expect(names('Requests')).toEqual(['Count']);
    expect(names('Error rate (%)')).toEqual(['Count', '4XXError', '5XXError']);
    expect(names('Latency (ms)')).toEqual(['Latency', 'Latency', 'Latency', 'IntegrationLatency']);
    expect(names('Throttled (429)')).toEqual([THROTTLED_METRIC]);
  });

  it('alarms when more than 1 % of requests answer 5xx, ignoring minutes with fewer than 20 requests', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Test-public-5xx-rate',
      Threshold: 1,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(requests >= 20, 100 * serverErrors / requests, 0)' })]),
    });
  });

  it('alarms on p99 latency above 500 ms', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Test-public-p99-latency',
      Threshold: 500,
      ComparisonOperator: 'GreaterThanThreshold',
      Metrics: [
        Match.objectLike({
          MetricStat: Match.objectLike({
            Stat: 'p99',
            Metric: {
              Namespace: 'AWS/ApiGateway',
              MetricName: 'Latency',
              Dimensions: [
                { Name: 'ApiName', Value: 'Test-public' },
                { Name: 'Stage', Value: Match.anyValue() },
              ],
            },
          }),
        }),
      ],
    });
  });

  it('alarms on a request rate beyond 3 standard deviations of its usual band', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Test-public-request-rate-anomaly',
      ComparisonOperator: 'GreaterThanUpperThreshold',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'ANOMALY_DETECTION_BAND(m0, 3)' })]),
    });
  });

  it('counts 429s from the access log per API and stage, and alarms when more than 10 a minute persist for 5 minutes', () => {
    s.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.status = "429" }',
      MetricTransformations: [
        Match.objectLike({
          MetricNamespace: METRICS_NAMESPACE,
          MetricName: THROTTLED_METRIC,
          Dimensions: [
            { Key: 'apiId', Value: '$.apiId' },
            { Key: 'stage', Value: '$.stage' },
          ],
        }),
      ],
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Test-public-throttled',
      Namespace: METRICS_NAMESPACE,
      MetricName: THROTTLED_METRIC,
      Threshold: 10,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
    });
    // The filter's dimensions are fields the access log really writes.
    s.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: {
        Format: Match.stringLikeRegexp('"apiId":"\\$context.apiId".*"stage":"\\$context.stage".*"status":"\\$context.status"'),
        DestinationArn: Match.anyValue(),
      },
    });
  });

  it('sends every alarm and its recovery to one TLS-only topic the stack creates', () => {
    s.template.resourceCountIs('AWS::SNS::Topic', 1);
    s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    const [topicId] = Object.keys(s.template.findResources('AWS::SNS::Topic'));
    const alarms = Object.values(s.template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(4);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
    }
  });

  it("matches the plan's resource estimate", () => {
    expect(Object.keys(s.templates['Test.template.json']!.Resources!)).toHaveLength(s.stack.gatehouse.plan.stackResources);
  });
});

describe('GatewayObservability options', () => {
  it('uses the configured thresholds', () => {
    const t = synthSpec(
      baseSpec({
        observability: { alarms: { serverErrorRatePercent: 5, p99LatencyMs: 2000, throttledPerMinute: 50, requestRateBand: 4 } },
      }),
    ).template;
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Test-public-5xx-rate', Threshold: 5 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Test-public-p99-latency', Threshold: 2000 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Test-public-throttled', Threshold: 50 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Test-public-request-rate-anomaly',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'ANOMALY_DETECTION_BAND(m0, 4)' })]),
    });
  });

  it('sends alarms to a named topic and creates none', () => {
    const arn = 'arn:aws:sns:eu-west-1:123456789012:ops-alerts';
    const t = synthSpec(baseSpec({ observability: { alarmTopicArn: arn } })).template;
    t.resourceCountIs('AWS::SNS::Topic', 0);
    for (const alarm of Object.values(t.findResources('AWS::CloudWatch::Alarm'))) expect(alarm.Properties.AlarmActions).toEqual([arn]);
  });

  it('creates no alarms and no topic when alarms are off, and no dashboard when that is off', () => {
    const t = synthSpec(baseSpec({ observability: { dashboard: false, alarms: { enabled: false } } })).template;
    t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    t.resourceCountIs('AWS::SNS::Topic', 0);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    t.resourceCountIs('AWS::Logs::MetricFilter', 0);
  });

  it('drops only the 429 alarm, with a plan warning, when access logs are off', () => {
    const s = synthSpec(baseSpec({ stage: { accessLogs: { enabled: false } } }));
    s.template.resourceCountIs('AWS::Logs::MetricFilter', 0);
    s.template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    expect(s.stack.gatehouse.plan.warnings.map((w) => w.code)).toContain('THROTTLE_ALARM_NEEDS_ACCESS_LOGS');
  });

  it("charts the authorizer's decisions under the metric names and service dimension its handler publishes", () => {
    const s = synthSpec({
      services: { a: { url: 'https://a' } },
      gateways: {
        public: {
          auth: { jwt: { issuers: [{ issuer: 'https://id.example.com/', audience: ['api'] }] } },
          routes: [{ service: 'a', paths: ['/x'], auth: 'jwt' }],
        },
      },
    });
    const service = authorizerServiceName('Test-public');
    const metrics = widget(dashboardOf(s.template), 'Authorizer decisions')!.metrics!;
    expect(metrics[0]!.slice(0, 4)).toEqual([METRICS_NAMESPACE, METRIC.allowed, 'service', service]);
    expect((metrics[1]![0] as { expression: string }).expression).toBe(
      `SEARCH('{${METRICS_NAMESPACE},${DENY_REASON_DIMENSION},service} MetricName="${METRIC.denied}" service="${service}"', 'Sum', 60)`,
    );
    // The function publishes under exactly that service name and namespace.
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: service, POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE } },
    });
  });
});
