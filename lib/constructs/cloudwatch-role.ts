// The region-wide API Gateway CloudWatch role (AWS::ApiGateway::Account), managed from one opt-in place.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * API Gateway keeps a single CloudWatch role per account and region; stages need it for access and
 * execution logs. aws-cdk-lib's RestApi used to create one per API, each overwriting the last and
 * removing it on stack deletion. Gatehouse creates it only where `account.manageCloudWatchRole` is
 * true, and retains it on deletion because other APIs in the region depend on it.
 */
export class ApiGatewayCloudWatchRole extends Construct {
  public readonly role: iam.Role;
  public readonly account: apigw.CfnAccount;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'Lets API Gateway write access and execution logs to CloudWatch Logs (account-wide setting)',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
    });
    this.role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.account = new apigw.CfnAccount(this, 'Resource', { cloudWatchRoleArn: this.role.roleArn });
    this.account.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'AmazonAPIGatewayPushToCloudWatchLogs is the AWS-documented policy for the API Gateway account role; it only allows writing to CloudWatch Logs.',
    });
  }
}
