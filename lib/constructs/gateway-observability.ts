// GatewayObservability: a gateway's dashboard and alarms (5xx rate, p99 latency, sustained 429s, request-rate anomalies).
import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { authorizerServiceName, DENY_REASON_DIMENSION, METRIC } from '../../lambdas/authorizer/metric-names';
import { METRICS_NAMESPACE, SERVICE_DIMENSION } from '../../lambdas/shared/metric-names';
import type { GatewayPlan } from '../plan/types';

/** Metric name of throttled (429) requests, counted from the access log by a metric filter. */
export const THROTTLED_METRIC = 'ThrottledRequests';

/** Below this many requests a minute, the 5xx rate is not judged: one error in three requests is noise. */
const MIN_REQUESTS_FOR_ERROR_RATE = 20;

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
}

export class GatewayObservability extends Construct {
  public readonly dashboard?: cloudwatch.Dashboard;
  public readonly alarms: cloudwatch.Alarm[] = [];
  public readonly throttledMetricFilter?: logs.MetricFilter;

  constructor(scope: Construct, id: string, props: GatewayObservabilityProps) {
    super(scope, id);
    const { plan, stage } = props;
    const minute = { period: Duration.minutes(1) };
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

    const alarms = plan.observability.alarms;
    if (alarms.enabled) {
      const name = (what: string) => `${plan.name}-${what}`;
      this.alarms.push(
        rate('serverErrors', serverErrors, '5xx %').createAlarm(this, 'ServerErrorRate', {
          alarmName: name('5xx-rate'),
          alarmDescription: `Gateway "${plan.name}": more than ${alarms.serverErrorRatePercent} % of requests answered 5xx`,
          threshold: alarms.serverErrorRatePercent,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
        latency('p99').createAlarm(this, 'LatencyP99', {
          alarmName: name('p99-latency'),
          alarmDescription: `Gateway "${plan.name}": p99 latency above ${alarms.p99LatencyMs} ms`,
          threshold: alarms.p99LatencyMs,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
        new cloudwatch.AnomalyDetectionAlarm(this, 'RequestRateAnomaly', {
          alarmName: name('request-rate-anomaly'),
          alarmDescription: `Gateway "${plan.name}": request rate outside its usual band (${alarms.requestRateBand} standard deviations)`,
          metric: stage.metricCount({ period: Duration.minutes(5), statistic: 'Sum' }),
          stdDevs: alarms.requestRateBand,
          evaluationPeriods: 3,
          datapointsToAlarm: 3,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
      if (throttled) {
        this.alarms.push(
          throttled.createAlarm(this, 'ThrottledAlarm', {
            alarmName: name('throttled'),
            alarmDescription: `Gateway "${plan.name}": more than ${alarms.throttledPerMinute} requests a minute throttled (429) for 5 minutes`,
            threshold: alarms.throttledPerMinute,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluationPeriods: 5,
            datapointsToAlarm: 5,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          }),
        );
      }
      if (props.alarmTopic) {
        const action = new actions.SnsAction(props.alarmTopic);
        for (const alarm of this.alarms) {
          alarm.addAlarmAction(action);
          alarm.addOkAction(action);
        }
      }
    }

    if (plan.observability.dashboard) {
      const widgets: cloudwatch.IWidget[][] = [
        [
          graph('Requests', [requests]),
          graph('Error rate (%)', [rate('clientErrors', clientErrors, '4xx %'), rate('serverErrors', serverErrors, '5xx %')]),
          graph('Latency (ms)', [latency('p50'), latency('p95'), latency('p99'), stage.metricIntegrationLatency({ ...minute, statistic: 'p99', label: 'integration p99' })]),
        ],
      ];
      const second: cloudwatch.IWidget[] = [];
      if (throttled) second.push(graph('Throttled (429)', [throttled]));
      if (props.hasAuthorizer) second.push(graph('Authorizer decisions', authorizerMetrics(plan.name)));
      if (this.alarms.length) second.push(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 8 }));
      if (second.length) widgets.push(second);
      this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
        dashboardName: `gatehouse-${plan.name}-${plan.stage.name}`,
        widgets,
      });
    }
  }
}

function graph(title: string, left: cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, width: 8, height: 6 });
}

/** Allowed count, and denials split by reason with a SEARCH so every reason code gets its own line. */
function authorizerMetrics(gatewayName: string): cloudwatch.IMetric[] {
  const service = authorizerServiceName(gatewayName);
  return [
    new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: METRIC.allowed,
      dimensionsMap: { [SERVICE_DIMENSION]: service },
      statistic: 'Sum',
      period: Duration.minutes(1),
      label: 'allowed',
    }),
    new cloudwatch.MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},${DENY_REASON_DIMENSION},${SERVICE_DIMENSION}} MetricName="${METRIC.denied}" ${SERVICE_DIMENSION}="${service}"', 'Sum', 60)`,
      label: 'denied',
      period: Duration.minutes(1),
    }),
  ];
}
