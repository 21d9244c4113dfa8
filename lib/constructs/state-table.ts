// StateTable: the DynamoDB table where Lambda instances share short-lived state (circuit breakers), expired by TTL.
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { BREAKER_TABLE } from '../../lambdas/contract/breaker-table';

export class StateTable extends Construct {
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Resource', {
      partitionKey: { name: BREAKER_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: BREAKER_TABLE.ttlAttribute,
      // Pay per request: a breaker writes only on transitions, so a provisioned floor would mostly idle.
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      // Every item is rebuilt from live traffic within seconds; nothing here is worth retaining.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.table).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason:
        'The table holds circuit-breaker state that expires within a day and is rebuilt from live traffic; point-in-time recovery would restore stale state.',
    });
  }
}
