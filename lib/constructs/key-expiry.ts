// KeyExpiry: the scheduled function that disables API keys past their expiry or rotation grace period.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aws, Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  DEFAULT_KEY_EXPIRY_SCHEDULE,
  ENV,
  KEY_EXPIRY_IAM_ACTIONS,
  KEY_EXPIRY_SERVICE_NAME,
  keyExpiryIamResources,
  METRIC,
} from '../../lambdas/key-expiry/settings';
import { bundleHandler } from '../../lambdas/shared/bundle';
import { METRICS_NAMESPACE, SERVICE_DIMENSION } from '../../lambdas/shared/metric-names';

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
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-key-expiry-'));
    bundleHandler('key-expiry/handler', dir);
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    this.function = new lambda.Function(this, 'Function', {
      description: 'Gatehouse: disables API keys past their expiry or rotation grace period',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(dir),
      memorySize: 256,
      timeout: Duration.minutes(2),
      logGroup: this.logGroup,
      environment: {
        [ENV.serviceName]: KEY_EXPIRY_SERVICE_NAME,
        [ENV.warningDays]: String(props.warningDays),
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
    });
    this.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: [...KEY_EXPIRY_IAM_ACTIONS], resources: keyExpiryIamResources(Aws.REGION) }),
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

    const v = Validations.of(this.function);
    v.acknowledge({ id: 'AwsSolutions-L1', reason: 'Gatehouse handlers target Node.js 22 (the runtime they are built and tested for); a runtime upgrade is a deliberate release.' });
    v.acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "AWSLambdaBasicExecutionRole only allows writing the function's own CloudWatch logs.",
    });
    v.acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:aws:apigateway:<AWS::Region>::/apikeys/*]',
      reason: 'The check must read and disable any API key of the region; API Gateway authorizes its management API by path, and /apikeys/* is the narrowest path that covers every key.',
    });
  }
}
