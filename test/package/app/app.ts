// A CDK app of its own that uses Gatehouse from the packed package: its own resources next to a typed spec.
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Gatehouse, addGatehouseChecks, type GatehouseSpec } from 'gatehouse';

const app = new App();
const stack = new Stack(app, 'Shop', { env: { region: 'eu-west-1' } });

// The app's own resources, which AwsSolutions would flag (an old runtime, a user pool without MFA).
new lambda.Function(stack, 'Legacy', {
  runtime: lambda.Runtime.NODEJS_18_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
});
new cognito.UserPool(stack, 'Customers');
const opsAlerts = new sns.Topic(stack, 'OpsAlerts', { enforceSSL: true });

// The gateway, as a typed spec: GatehouseSpec is a named interface, every field documented.
// Its alarms go to the app's own topic (a token).
const spec: GatehouseSpec = {
  services: {
    orders: { url: 'https://orders.example.com', timeoutMs: 3000, retries: { attempts: 1 } },
  },
  gateways: {
    public: {
      cors: { origins: ['https://shop.example.com'] },
      observability: { alarmTopicArn: opsAlerts.topicArn },
      routes: [{ service: 'orders', paths: ['/orders'], methods: ['GET', 'POST'] }],
    },
  },
};
const gatehouse = new Gatehouse(stack, 'Api', { spec });

// What an app reaches for: the URL, and alarms on the gateway's metrics.
const orders = gatehouse.gateway('public');
new CfnOutput(stack, 'OrdersApiUrl', { value: orders.url });
new cloudwatch.Alarm(stack, 'OrdersServerErrors', { metric: orders.metricServerErrors(), threshold: 5, evaluationPeriods: 3 });

// cdk-nag over Gatehouse's resources only (cdk-nag is an optional peer: only this line needs it).
if (app.node.tryGetContext('checks')) addGatehouseChecks(gatehouse);

app.synth();
