// The Lambda-route counts BENCHMARKS.md records: resources and Lambda permissions for one function behind N REST paths,
// Gatehouse against plain aws-cdk-lib's LambdaIntegration. Deterministic, so test/benchmarks.test.ts holds them.
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Gatehouse } from '../../lib/constructs/gatehouse';

const METHODS = ['GET', 'POST', 'PUT'] as const;
const SIZES = [1, 10, 50] as const;

/** CDK's template validation changes no output, and costs seconds per app. */
const newApp = (context: Record<string, unknown> = {}) => new App({ context, builtinCloudFormationValidation: false });

/** The user's function, in the same stack in both implementations (an imported ARN of an unknown account gets no permission from aws-cdk-lib at all). */
function userFunction(stack: Stack): lambda.Function {
  return new lambda.Function(stack, 'GetUsers', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 })'),
  });
}

/** Resources in a stack's template, and how many are Lambda permissions. */
function count(stack: Stack): { total: number; permissions: number } {
  const resources = Object.values(
    (App.of(stack) as App).synth().getStackByName(stack.stackName).template.Resources as Record<string, { Type: string }>,
  );
  return { total: resources.length, permissions: resources.filter((r) => r.Type === 'AWS::Lambda::Permission').length };
}

/** The function behind `routes` paths with three methods each, routed by Gatehouse (REST, logs and observability off, as plain CDK has none). */
function gatehouse(routes: number) {
  const stack = new Stack(newApp(), 'Bench');
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
  const stack = new Stack(newApp({ '@aws-cdk/core:stackResourceLimit': 0 }), 'Bench');
  const fn = userFunction(stack);
  const api = new apigw.RestApi(stack, 'Api', { cloudWatchRole: false });
  const integration = new apigw.LambdaIntegration(fn);
  for (let i = 0; i < routes; i++) for (const m of METHODS) api.root.resourceForPath(`/r${i}`).addMethod(m, integration);
  return count(stack);
}

/** CloudFormation's resources per stack. */
const STACK_RESOURCE_LIMIT = 500;

/** The table at 1, 10 and 50 routes of three methods each, and what a route costs each implementation. */
export function lambdaRoutesMarkdown(): string {
  const counts = SIZES.map((n) => ({ n, g: gatehouse(n), p: plainCdk(n) }));
  const rows = counts.map(
    ({ n, g, p }) =>
      `| ${n} | ${g.total} | ${g.permissions} | ${p.total} | ${p.permissions} | ${p.total <= STACK_RESOURCE_LIMIT ? 'yes' : 'NO'} |`,
  );
  // Both grow linearly in the routes; the slope between the two smallest sizes is the cost of one route.
  const [first, second] = counts as [(typeof counts)[number], (typeof counts)[number]];
  const perRoute = (pick: (c: (typeof counts)[number]) => number) => (pick(second) - pick(first)) / (second.n - first.n);
  const plainPerRoute = perRoute((c) => c.p.total);
  const plainFixed = first.p.total - plainPerRoute * first.n;
  const plainOverAt = Math.floor((STACK_RESOURCE_LIMIT - plainFixed) / plainPerRoute) + 1;
  return [
    '| routes (3 methods each) | gatehouse resources | gatehouse Lambda permissions | plain-cdk resources | plain-cdk Lambda permissions | plain-cdk deploys (≤ 500 resources) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Per 3-method route: Gatehouse ${perRoute((c) => c.g.total)} resources (${perRoute((c) => c.g.permissions)} permissions), ` +
      `plain CDK ${plainPerRoute} resources (${perRoute((c) => c.p.permissions)} permissions), which passes CloudFormation's ${STACK_RESOURCE_LIMIT} at ${plainOverAt} routes.`,
  ].join('\n');
}
