// The observability part of a gateway's plan: alarms, saved queries and the functions its dashboard charts (types only, a leaf).

/** A Lambda function of the gateway, resolved to the construct at render. */
export type FunctionRef =
  | { readonly kind: 'proxy'; readonly service: string }
  | { readonly kind: 'aggregator'; readonly aggregate: string }
  | { readonly kind: 'authorizer' }
  | { readonly kind: 'origin-verify' };

/** What an alarm watches. */
export type AlarmMetric =
  /** API Gateway's own metrics (ApiName + Stage on REST, ApiId + Stage on HTTP), or the 429 count from the access log. */
  | { readonly kind: 'api'; readonly signal: '5xx-rate' | 'p99-latency' | 'throttled' | 'request-rate-anomaly' }
  /** A count a Gatehouse handler publishes in EMF, namespace `Gatehouse`; `dimensions` are the full set it is published with. */
  | {
      readonly kind: 'gatehouse';
      readonly metric: string;
      readonly dimensions: Readonly<Record<string, string>>;
      readonly emittedBy: 'proxy' | 'aggregator' | 'authorizer';
    }
  | { readonly kind: 'lambda'; readonly fn: FunctionRef; readonly metric: 'Throttles' | 'ConcurrentExecutions' }
  /** `BlockedRequests` of one rule; the WebACL and Rule dimensions are the metric names the web ACL is rendered with. */
  | { readonly kind: 'waf'; readonly webAcl: 'regional' | 'cloudfront'; readonly rule: string }
  | { readonly kind: 'cloudfront-5xx-rate' };

export interface AlarmPlan {
  /** Construct id (public API: changing it replaces the alarm). */
  readonly id: string;
  /** The alarm's name: the API's unique name, then what it watches. */
  readonly name: string;
  /** What firing means, with the threshold: the alarm description and `explain`'s line. */
  readonly description: string;
  /** Title of the dashboard widget that charts the metric. */
  readonly widget: string;
  readonly metric: AlarmMetric;
  readonly statistic: 'Sum' | 'Maximum' | 'Average' | 'p99';
  readonly threshold: number;
  readonly comparison: 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'GreaterThanUpperThreshold';
  /** Minutes looked at, and how many of them must breach. */
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

export interface GatewayObservabilityPlan {
  readonly alarmPlans: readonly AlarmPlan[];
  readonly queries: readonly SavedQueryPlan[];
  /** Gatehouse functions whose throttles and concurrency the dashboard charts. */
  readonly functions: readonly FunctionRef[];
  /** Why alarms the gateway's features would have are absent (CloudFront metrics outside us-east-1). */
  readonly notes: readonly string[];
}

/** A saved CloudWatch Logs Insights query (AWS::Logs::QueryDefinition) over some of the gateway's log groups. */
export interface SavedQueryPlan {
  readonly id: string;
  /** Shown in the console's saved queries, foldered by `/`. */
  readonly name: string;
  readonly logGroups: readonly ('access' | FunctionRef)[];
  readonly query: string;
}
