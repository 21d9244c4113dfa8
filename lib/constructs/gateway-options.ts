// What a gateway construct takes besides its plan, whichever flavor it renders: alarm topic, shared-state table, VPC links.
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sns from 'aws-cdk-lib/aws-sns';

export interface GatewayOptions {
  /**
   * Where the gateway's alarms go.
   * @default - alarms without actions (visible in the console and on the dashboard)
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Table where proxies and aggregators share breaker state and rate-limit counters; required when one of the plan's shares state.
   * @default - none
   */
  readonly stateTable?: dynamodb.ITable;
  /**
   * Ids of the VPC links the plan's private routes go through (`Plan.vpcLinks`, created by `Gatehouse`), by key.
   * @default - none: the plan may only reuse existing links (`private.vpcLink`)
   */
  readonly vpcLinkIds?: Readonly<Record<string, string>>;
}
