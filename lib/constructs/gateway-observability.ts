// GatewayObservability: a gateway's dashboard, the alarms its plan lists (API, proxies, aggregators, authorizer, functions, edge) and its saved Logs Insights queries.
import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { authorizerServiceName, DENY_REASON_DIMENSION, METRIC } from '../../lambdas/contract/authorizer-metrics';
import { METRICS_NAMESPACE, SERVICE_DIMENSION } from '../../lambdas/contract/metric-names';
import { CLOUDFRONT_METRICS_REGION, functionLabel, type AlarmPlan, type FunctionRef } from '../plan/observability';
import type { GatewayPlan } from '../plan/types';
import { internalError } from './validation-error';

/** Metric name of throttled (429) requests, counted from the access log by a metric filter. */
export const THROTTLED_METRIC = 'ThrottledRequests';

/** Below this many requests a minute, the 5xx rate is not judged: one error in three requests is noise. */
const MIN_REQUESTS_FOR_ERROR_RATE = 20;

const MINUTE = Duration.minutes(1);

/** A function with its log group, as ResilientProxy, AggregatorFunction and the authorizers expose it. */
interface ObservedFunction {
  readonly function: lambda.IFunction;
  readonly logGroup: logs.ILogGroup;
}

/** The gateway's Gatehouse functions, under the names RestGateway and HttpGateway expose them. */
export interface GatewayFunctions {
  readonly proxies?: Readonly<Record<string, ObservedFunction>>;
  readonly aggregators?: Readonly<Record<string, ObservedFunction>>;
  /** RestGateway's JWT authorizer. */
  readonly jwtAuthorizer?: ObservedFunction | object;
  /** HttpGateway's Lambda authorizer. */
  readonly lambdaAuthorizer?: ObservedFunction;
  readonly originVerifyAuthorizer?: ObservedFunction;
}

/** The web ACLs and distribution in front of the gateway, as EdgeProtection exposes them. */
export interface ObservedEdge {
  readonly regionalWebAcl?: { readonly webAcl: wafv2.CfnWebACL };
  readonly cloudfrontWebAcl?: { readonly webAcl: wafv2.CfnWebACL };
  readonly distribution?: { readonly distribution: { readonly distributionId: string } };
}

export interface GatewayObservabilityProps {
  readonly plan: GatewayPlan;
  /** A REST API, or an HTTP API (whose v2 metrics use the same names through the stage's metric methods). */
  readonly api: apigw.IRestApi | apigwv2.IHttpApi;
  readonly stage: apigw.Stage | apigwv2.HttpStage;
  /** Where 429s are counted; without it there is no throttling alarm. */
  readonly accessLogGroup?: logs.ILogGroup;
  /** Where alarms go; alarms are created without actions when absent. */
  readonly alarmTopic?: sns.ITopic;
  /** Whether the gateway has the JWT authorizer, whose decisions the dashboard charts. */
  readonly hasAuthorizer: boolean;
  /**
   * The functions the plan's alarms and queries name.
   * @default - the scope's own `proxies`, `aggregators` and authorizers (a RestGateway or HttpGateway)
   */
  readonly functions?: GatewayFunctions;
}

export class GatewayObservability extends Construct {
  public readonly dashboard?: cloudwatch.Dashboard;
  public readonly alarms: cloudwatch.Alarm[] = [];
  public readonly throttledMetricFilter?: logs.MetricFilter;
  /** Saved Logs Insights queries, by the plan's id. */
  public readonly queries: Record<string, logs.CfnQueryDefinition> = {};
  private readonly plan: GatewayPlan;
  private readonly alarmTopic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: GatewayObservabilityProps) {
    super(scope, id);
    const { plan, stage } = props;
    this.plan = plan;
    this.alarmTopic = props.alarmTopic;
    const functions = props.functions ?? (scope as GatewayFunctions);
    const minute = { period: MINUTE };
    const requests = stage.metricCount({ ...minute, statistic: 'Sum' });
    const serverErrors = stage.metricServerError({ ...minute, statistic: 'Sum' });
    const clientErrors = stage.metricClientError({ ...minute, statistic: 'Sum' });
    // `id` names the error metric in the expression: two rates on one graph need different ids.
    const rate = (id: string, errors: cloudwatch.IMetric, label: string) =>
      new cloudwatch.MathExpression({
        expression: `IF(requests >= ${MIN_REQUESTS_FOR_ERROR_RATE}, 100 * ${id} / requests, 0)`,
        usingMetrics: { requests, [id]: errors },
        label,
        period: minute.period,
      });
    const latency = (statistic: string) => stage.metricLatency({ ...minute, statistic, label: `latency ${statistic}` });

    let throttled: cloudwatch.Metric | undefined;
    if (plan.observability.throttledAlarm && props.accessLogGroup) {
      this.throttledMetricFilter = new logs.MetricFilter(this, 'ThrottledFilter', {
        logGroup: props.accessLogGroup,
        filterPattern: logs.FilterPattern.stringValue('$.status', '=', '429'),
        metricNamespace: METRICS_NAMESPACE,
        metricName: THROTTLED_METRIC,
        metricValue: '1',
        // A filter with dimensions takes no default value; stages of other APIs share the name.
        dimensions: { apiId: '$.apiId', stage: '$.stage' },
      });
      throttled = new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: THROTTLED_METRIC,
        dimensionsMap: { apiId: 'restApiId' in props.api ? props.api.restApiId : props.api.apiId, stage: props.stage.stageName },
        statistic: 'Sum',
        ...minute,
      });
    }

    const fn = (ref: FunctionRef): ObservedFunction => resolveFunction(functions, ref, plan.name);
    /**
     * The metric an alarm of the plan watches; undefined for edge alarms, which `addEdge` renders. Labelled for a graph;
     * an alarm's is left unlabelled, so the template names namespace, metric and dimensions plainly.
     */
    const metricOf = (a: AlarmPlan, labelled = false): cloudwatch.IMetric | undefined => {
      const m = a.metric;
      switch (m.kind) {
        case 'api':
          if (m.signal === '5xx-rate') return rate('serverErrors', serverErrors, '5xx %');
          if (m.signal === 'p99-latency') return latency('p99');
          if (m.signal === 'throttled') return throttled;
          return stage.metricCount({ period: Duration.minutes(5), statistic: 'Sum' });
        case 'gatehouse':
          return new cloudwatch.Metric({
            namespace: METRICS_NAMESPACE,
            metricName: m.metric,
            dimensionsMap: { ...m.dimensions },
            statistic: a.statistic,
            period: MINUTE,
            ...(labelled ? { label: labelOf(a, plan) } : {}),
          });
        case 'lambda':
          return fn(m.fn).function.metric(m.metric, {
            statistic: a.statistic,
            period: MINUTE,
            ...(labelled ? { label: functionLabel(m.fn) } : {}),
          });
        default:
          return undefined;
      }
    };

    const planned = plan.observability.alarmPlans;
    if (plan.observability.alarms.enabled) {
      for (const a of planned) {
        if (a.metric.kind === 'api' && a.metric.signal === 'request-rate-anomaly') {
          this.register(
            new cloudwatch.AnomalyDetectionAlarm(this, a.id, {
              alarmName: a.name,
              alarmDescription: a.description,
              metric: metricOf(a) as cloudwatch.Metric,
              stdDevs: a.threshold,
              evaluationPeriods: a.evaluationPeriods,
              datapointsToAlarm: a.datapointsToAlarm,
              comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
              treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
            }),
          );
          continue;
        }
        const metric = metricOf(a);
        if (metric) this.addAlarm(a, metric);
      }
    }

    for (const query of plan.observability.queries) {
      const groups = query.logGroups.flatMap((g) =>
        g === 'access' ? (props.accessLogGroup ? [props.accessLogGroup] : []) : [fn(g).logGroup],
      );
      this.queries[query.id] = new logs.CfnQueryDefinition(this, query.id, {
        name: query.name,
        queryString: query.query,
        logGroupNames: groups.map((g) => g.logGroupName),
      });
    }

    if (plan.observability.dashboard) {
      const widgets: cloudwatch.IWidget[][] = [
        [
          graph('Requests', [requests]),
          graph('Error rate (%)', [rate('clientErrors', clientErrors, '4xx %'), rate('serverErrors', serverErrors, '5xx %')]),
          graph('Latency (ms)', [
            latency('p50'),
            latency('p95'),
            latency('p99'),
            stage.metricIntegrationLatency({ ...minute, statistic: 'p99', label: 'integration p99' }),
          ]),
        ],
      ];
      const second: cloudwatch.IWidget[] = [];
      if (throttled) second.push(graph('Throttled (429)', [throttled]));
      if (props.hasAuthorizer) second.push(graph('Authorizer decisions', authorizerMetrics(plan)));
      if (this.alarms.length) second.push(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 8 }));
      if (second.length) widgets.push(second);
      // One graph per group of the plan's own alarms (breakers, degraded answers, retries, rate limits, errors, functions).
      const groups = new Map<string, cloudwatch.IMetric[]>();
      for (const a of planned) {
        if (a.metric.kind === 'api' || (a.metric.kind === 'gatehouse' && a.widget === 'Authorizer decisions')) continue;
        const metric = metricOf(a, true);
        if (metric) groups.set(a.widget, [...(groups.get(a.widget) ?? []), metric]);
      }
      const rows = [...groups].map(([title, metrics]) => graph(title, metrics));
      for (let i = 0; i < rows.length; i += 3) widgets.push(rows.slice(i, i + 3));
      this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
        // Dashboards are global to the account, not regional (AWS::CloudWatch::Dashboard): the region keeps the same
        // stack in two regions from sharing one.
        dashboardName: `${`gatehouse-${plan.apiName}-${plan.stage.name}`.replace(/[^A-Za-z0-9_-]/g, '-')}-${Stack.of(this).region}`,
        widgets,
      });
    }
  }

  /**
   * Charts and alarms on the edge in front of the gateway: WAF blocks per rule, CloudFront's 5xx rate. Metrics
   * CloudFront publishes in us-east-1 only are charted from there; the plan has alarms on them only when the
   * stack is in us-east-1 too.
   */
  public addEdge(edge: ObservedEdge): void {
    const planned = this.plan.observability.alarmPlans;
    const region = Stack.of(this).region;
    const wafMetric = (acl: wafv2.CfnWebACL, where: 'regional' | 'cloudfront', rule: string, labelled: boolean): cloudwatch.Metric => {
      // Dimensions are the metric names of the web ACL and its rule (VisibilityConfig.MetricName); a regional ACL adds
      // its Region: https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html
      const ruleMetric = (acl.rules as wafv2.CfnWebACL.RuleProperty[]).find((r) => r.name === rule)!
        .visibilityConfig as wafv2.CfnWebACL.VisibilityConfigProperty;
      const aclMetric = acl.visibilityConfig as wafv2.CfnWebACL.VisibilityConfigProperty;
      return new cloudwatch.Metric({
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        dimensionsMap: { WebACL: aclMetric.metricName, Rule: ruleMetric.metricName, ...(where === 'regional' ? { Region: region } : {}) },
        statistic: 'Sum',
        period: MINUTE,
        // Charted from us-east-1 wherever the dashboard is; an alarm on it exists only in us-east-1, where the region is its own.
        ...(labelled ? { label: `${where} ${rule}`, ...(where === 'cloudfront' ? { region: CLOUDFRONT_METRICS_REGION } : {}) } : {}),
      });
    };
    const blocked: cloudwatch.IMetric[] = [];
    for (const [where, acl] of [
      ['regional', edge.regionalWebAcl?.webAcl],
      ['cloudfront', edge.cloudfrontWebAcl?.webAcl],
    ] as const) {
      if (!acl) continue;
      for (const rule of acl.rules as wafv2.CfnWebACL.RuleProperty[]) {
        blocked.push(wafMetric(acl, where, rule.name, true));
        const alarm = planned.find((a) => a.metric.kind === 'waf' && a.metric.webAcl === where && a.metric.rule === rule.name);
        if (alarm && this.plan.observability.alarms.enabled) this.addAlarm(alarm, wafMetric(acl, where, rule.name, false));
      }
    }
    const widgets: cloudwatch.IWidget[] = [];
    if (blocked.length) widgets.push(graph('WAF blocked requests', blocked));
    const distributionId = edge.distribution?.distribution.distributionId;
    if (distributionId) {
      // CloudFront's metrics: us-east-1, Region "Global": https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html
      const errorRate = new cloudwatch.Metric({
        namespace: 'AWS/CloudFront',
        metricName: '5xxErrorRate',
        dimensionsMap: { DistributionId: distributionId, Region: 'Global' },
        statistic: 'Average',
        period: MINUTE,
      });
      widgets.push(graph('CloudFront 5xx rate (%)', [errorRate.with({ region: CLOUDFRONT_METRICS_REGION, label: 'CloudFront 5xx %' })]));
      const alarm = planned.find((a) => a.metric.kind === 'cloudfront-5xx-rate');
      if (alarm && this.plan.observability.alarms.enabled) this.addAlarm(alarm, errorRate);
    }
    if (widgets.length) this.dashboard?.addWidgets(...widgets);
  }

  private addAlarm(a: AlarmPlan, metric: cloudwatch.IMetric): void {
    const alarm = (metric as cloudwatch.Metric | cloudwatch.MathExpression).createAlarm(this, a.id, {
      alarmName: a.name,
      alarmDescription: a.description,
      threshold: a.threshold,
      comparisonOperator: cloudwatch.ComparisonOperator[COMPARISON[a.comparison]],
      evaluationPeriods: a.evaluationPeriods,
      datapointsToAlarm: a.datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.register(alarm);
  }

  /** Every alarm notifies the topic when it fires and when it recovers. */
  private register(alarm: cloudwatch.Alarm): void {
    this.alarms.push(alarm);
    if (this.alarmTopic) {
      const action = new actions.SnsAction(this.alarmTopic);
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
}

const COMPARISON = {
  GreaterThanOrEqualToThreshold: 'GREATER_THAN_OR_EQUAL_TO_THRESHOLD',
  GreaterThanThreshold: 'GREATER_THAN_THRESHOLD',
  GreaterThanUpperThreshold: 'GREATER_THAN_UPPER_THRESHOLD',
} as const;

function graph(title: string, left: cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, width: 8, height: 6 });
}

/** A line's label on a shared graph: the alarm's name without the API's. */
function labelOf(a: AlarmPlan, plan: GatewayPlan): string {
  return a.name.startsWith(`${plan.apiName}-`) ? a.name.slice(plan.apiName.length + 1) : a.name;
}

function resolveFunction(functions: GatewayFunctions, ref: FunctionRef, gateway: string): ObservedFunction {
  const found =
    ref.kind === 'proxy'
      ? functions.proxies?.[ref.service]
      : ref.kind === 'aggregator'
        ? functions.aggregators?.[ref.aggregate]
        : ref.kind === 'authorizer'
          ? (functions.jwtAuthorizer as ObservedFunction | undefined)?.function
            ? (functions.jwtAuthorizer as ObservedFunction)
            : functions.lambdaAuthorizer
          : functions.originVerifyAuthorizer;
  if (!found) throw internalError(`gateway "${gateway}" has no ${functionLabel(ref)} function for its alarms`);
  return found;
}

/** Allowed count, and denials split by reason with a SEARCH so every reason code gets its own line. */
function authorizerMetrics(plan: GatewayPlan): cloudwatch.IMetric[] {
  const service = plan.authorizer?.serviceName ?? authorizerServiceName(plan.name);
  const dimensions = { [SERVICE_DIMENSION]: service };
  return [
    new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: METRIC.allowed,
      dimensionsMap: dimensions,
      statistic: 'Sum',
      period: MINUTE,
      label: 'allowed',
    }),
    new cloudwatch.MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},${DENY_REASON_DIMENSION},${SERVICE_DIMENSION}} MetricName="${METRIC.denied}" ${SERVICE_DIMENSION}="${service}"', 'Sum', 60)`,
      label: 'denied',
      period: MINUTE,
    }),
  ];
}
