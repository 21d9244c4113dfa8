// KeyExpiry: the scheduled function that disables API keys past their expiry or rotation grace period.
import { Aws, Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  DEFAULT_KEY_EXPIRY_SCHEDULE,
  ENV,
  KEY_EXPIRY_IAM_ACTIONS,
  KEY_EXPIRY_SERVICE_NAME,
  keyExpiryIamResources,
  METRIC,
} from '../../lambdas/contract/key-expiry';
import { METRICS_NAMESPACE, SERVICE_DIMENSION } from '../../lambdas/contract/metric-names';
import { createHandlerFunction } from './handler-function';

export interface KeyExpiryProps {
  /** Days ahead to report keys as expiring soon. */
  readonly warningDays: number;
  /**
   * Where the "keys expiring soon" and "run failed" alarms go.
   * @default - alarms without actions
   */
  readonly alarmTopic?: sns.ITopic;
}

export class KeyExpiry extends Construct {
  public readonly function: lambda.Function;
  public readonly logGroup: logs.LogGroup;
  public readonly schedule: events.Rule;
  public readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: KeyExpiryProps) {
    super(scope, id);
    const handler = createHandlerFunction(this, {
      handler: 'key-expiry/handler',
      description: 'Gatehouse: disables API keys past their expiry or rotation grace period',
      serviceName: KEY_EXPIRY_SERVICE_NAME,
      timeout: Duration.minutes(2),
      environment: { [ENV.warningDays]: String(props.warningDays) },
    });
    this.function = handler.function;
    this.logGroup = handler.logGroup;
    this.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: [...KEY_EXPIRY_IAM_ACTIONS], resources: keyExpiryIamResources(Aws.PARTITION, Aws.REGION) }),
    );
    this.schedule = new events.Rule(this, 'Schedule', {
      description: 'Daily API-key expiry check (Gatehouse)',
      schedule: events.Schedule.expression(DEFAULT_KEY_EXPIRY_SCHEDULE),
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 2 })],
    });

    const daily = { period: Duration.days(1), statistic: 'Sum' };
    this.alarms = [
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: METRIC.expiringSoon,
        dimensionsMap: { [SERVICE_DIMENSION]: KEY_EXPIRY_SERVICE_NAME },
        ...daily,
      }).createAlarm(this, 'ExpiringSoon', {
        alarmName: 'gatehouse-api-keys-expiring-soon',
        alarmDescription: `API keys expire within ${props.warningDays} days: rotate them (gatehouse keys rotate)`,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      this.function.metricErrors(daily).createAlarm(this, 'RunFailed', {
        alarmName: 'gatehouse-key-expiry-failed',
        alarmDescription: 'The API-key expiry check failed: keys past their expiry may still be enabled',
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    ];
    if (props.alarmTopic) for (const alarm of this.alarms) alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::/apikeys/*]',
      reason:
        'The check must read and disable any API key of the region; API Gateway authorizes its management API by path, and /apikeys/* is the narrowest path that covers every key.',
    });
  }
}
