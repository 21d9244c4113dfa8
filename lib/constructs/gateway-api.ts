// GatewayApi: one gateway of a Gatehouse, REST or HTTP alike: its URL and the metrics its dashboard charts.
import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** The API and stage behind a gateway: a REST API with its stage, or an HTTP API with its stage. */
export type GatewayApiProps =
  | { readonly name: string; readonly restApi: apigw.IRestApi; readonly restStage: apigw.Stage }
  | { readonly name: string; readonly httpApi: apigwv2.IHttpApi; readonly httpStage: apigwv2.HttpStage };

/** Metrics default to what the gateway's dashboard and alarms use: one-minute periods. */
const DASHBOARD_PERIOD = Duration.minutes(1);

/**
 * A gateway as an app uses it: where it is served and its API Gateway metrics, whichever flavor it has.
 * Get one with `gatehouse.gateway('public')`.
 */
export class GatewayApi {
  /** The gateway's name under `gateways` in the config. */
  public readonly name: string;
  /** `rest` (API Gateway REST API) or `http` (HTTP API). */
  public readonly flavor: 'rest' | 'http';
  /**
   * The stage's invoke URL (`https://{api-id}.execute-api.{region}.amazonaws.com/{stage}/`, a token until deploy).
   * Behind `edge.cloudfront` clients call the distribution instead, and with a `domain` the custom domain.
   */
  public readonly url: string;
  /** The REST API, for a `flavor: rest` gateway. */
  public readonly restApi?: apigw.IRestApi;
  /** The HTTP API, for a `flavor: http` gateway. */
  public readonly httpApi?: apigwv2.IHttpApi;
  private readonly stage: apigw.Stage | apigwv2.HttpStage;

  constructor(props: GatewayApiProps) {
    this.name = props.name;
    if ('restApi' in props) {
      this.flavor = 'rest';
      this.restApi = props.restApi;
      this.stage = props.restStage;
      this.url = props.restStage.urlForPath('/');
    } else {
      this.flavor = 'http';
      this.httpApi = props.httpApi;
      this.stage = props.httpStage;
      this.url = props.httpStage.url;
    }
  }

  /**
   * Requests the stage served (`Count`).
   * @default - Sum over 1 minute, as on the dashboard
   */
  public metricRequests(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.stage.metricCount({ period: DASHBOARD_PERIOD, statistic: 'Sum', ...props });
  }

  /**
   * Responses with a 4xx status (`4XXError` on REST APIs, `4xx` on HTTP APIs), throttled 429s included.
   * @default - Sum over 1 minute, as on the dashboard
   */
  public metricClientErrors(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.stage.metricClientError({ period: DASHBOARD_PERIOD, statistic: 'Sum', ...props });
  }

  /**
   * Responses with a 5xx status (`5XXError` on REST APIs, `5xx` on HTTP APIs): what the 5xx-rate alarm counts.
   * @default - Sum over 1 minute, as on the dashboard
   */
  public metricServerErrors(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.stage.metricServerError({ period: DASHBOARD_PERIOD, statistic: 'Sum', ...props });
  }

  /**
   * Time from request to response, integration included (`Latency`), in milliseconds.
   * @default - p99 over 1 minute, what the latency alarm watches
   */
  public metricLatency(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.stage.metricLatency({ period: DASHBOARD_PERIOD, statistic: 'p99', ...props });
  }
}
