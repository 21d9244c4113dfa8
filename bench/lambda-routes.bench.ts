// Resource economy of Lambda routes: Gatehouse's one permission per function per API vs plain aws-cdk-lib's LambdaIntegration.
// Run with `npx tsx bench/lambda-routes.bench.ts`. Counts only (deterministic); nothing here is timed.
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Gatehouse } from '../lib/constructs/gatehouse';

const METHODS = ['GET', 'POST', 'PUT'] as const;
const SIZES = [1, 10, 50] as const;

/** The user's function, in the same stack in both implementations (an imported ARN of an unknown account gets no permission from aws-cdk-lib at all). */
function userFunction(stack: Stack): lambda.Function {
  return new lambda.Function(stack, 'GetUsers', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 })') });
}

/** Resources in a stack's template, and how many are Lambda permissions. */
function count(stack: Stack): { total: number; permissions: number } {
  const resources = Object.values((App.of(stack) as App).synth().getStackByName(stack.stackName).template.Resources as Record<string, { Type: string }>);
  return { total: resources.length, permissions: resources.filter((r) => r.Type === 'AWS::Lambda::Permission').length };
}

/** The function behind `routes` paths with three methods each, routed by Gatehouse (REST, logs and observability off, as plain CDK has none). */
function gatehouse(routes: number) {
  const app = new App();
  const stack = new Stack(app, 'Bench');
  new Gatehouse(stack, 'Gatehouse', {
    spec: {
      account: { keyExpiry: { enabled: false } },
      services: { users: { lambda: userFunction(stack) } },
      gateways: {
        api: {
          stage: { accessLogs: { enabled: false }, executionLogs: 'OFF', tracing: false },
          observability: { dashboard: false, alarms: { enabled: false } },
          routes: Array.from({ length: routes }, (_, i) => ({ service: 'users', paths: [`/r${i}`], methods: [...METHODS] })),
        },
      },
    },
  });
  return count(stack);
}

/** What a user writes with aws-cdk-lib: one RestApi, `addMethod` with a `LambdaIntegration` (default options) per method. */
function plainCdk(routes: number) {
  // CDK's own 500-resource check off, to count what would not deploy (the last column says so).
  const app = new App({ context: { '@aws-cdk/core:stackResourceLimit': 0 } });
  const stack = new Stack(app, 'Bench');
  const fn = userFunction(stack);
  const api = new apigw.RestApi(stack, 'Api', { cloudWatchRole: false });
  const integration = new apigw.LambdaIntegration(fn);
  for (let i = 0; i < routes; i++) for (const m of METHODS) api.root.resourceForPath(`/r${i}`).addMethod(m, integration);
  return count(stack);
}

console.log('| routes (3 methods each) | gatehouse resources | gatehouse Lambda permissions | plain-cdk resources | plain-cdk Lambda permissions | plain-cdk deploys (≤ 500 resources) |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const n of SIZES) {
  const g = gatehouse(n);
  const p = plainCdk(n);
  console.log(`| ${n} | ${g.total} | ${g.permissions} | ${p.total} | ${p.permissions} | ${p.total <= 500 ? 'yes' : 'NO'} |`);
}
