// Issue 14 items 1 and 4: a CDK user's own app passes its constructs (a NodejsFunction, a function URL, an NLB DNS name, a user pool) into a typed spec; it synthesizes, explains and lints clean.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { beforeAll, describe, expect, it } from 'vitest';
import { addGatehouseChecks } from '../../lib/checks';
import { Gatehouse } from '../../lib/constructs/gatehouse';
import { explainPlan } from '../../lib/plan/explain';
import { isInvalidSpecError, type ConfigError } from '../../lib/config/errors';
import type { GatehouseSpecInput } from '../../lib/config/schema';
import { scaled } from '../support/time-factor';

const haveCfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;

/** The user's own resources, as they would write them. */
function userResources(stack: Stack) {
  const fn = new lambda.Function(stack, 'UsersFunction', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "[]" });'),
  });
  const fnUrl = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const nlb = new elbv2.NetworkLoadBalancer(stack, 'OrdersNlb', { vpc, internetFacing: true });
  const pool = new cognito.UserPool(stack, 'Pool');
  const client = pool.addClient('Web');
  // The user's own function, bundled by esbuild as users bundle theirs.
  const getUsers = new NodejsFunction(stack, 'GetUsersFunction', {
    entry: join(__dirname, '../fixtures/user-app/get-users.ts'),
    runtime: lambda.Runtime.NODEJS_22_X,
    memorySize: 256,
  });
  return { fnUrl, nlb, pool, client, vpc, getUsers };
}

function userSpec(r: ReturnType<typeof userResources>, flavor: 'http' | 'rest' = 'http'): GatehouseSpecInput {
  return {
    services: {
      // A function URL is https://<id>.lambda-url.<region>.on.aws/: the host is its third '/'-separated part.
      users: { url: `https://${Fn.select(2, Fn.split('/', r.fnUrl.url))}` },
      orders: { url: `https://${r.nlb.loadBalancerDnsName}` },
      // The function itself: API Gateway invokes it directly (payload 2.0 on an HTTP API).
      me: { lambda: r.getUsers },
    },
    gateways: {
      public: {
        flavor,
        auth: { jwt: { issuers: [{ cognito: { userPool: r.pool, clients: [r.client] } }] } },
        routes: [
          { service: 'users', paths: ['/api/users'], methods: ['GET'], auth: 'jwt' },
          { service: 'orders', paths: ['/api/orders'], methods: ['GET'], auth: { jwt: { scopes: ['orders/read'] } } },
          { service: 'me', paths: ['/api/me', '/api/me/settings'], methods: ['GET', 'PUT'], auth: 'jwt' },
        ],
      },
    },
  };
}

describe('GIVEN a CDK app passing its function URL, NLB DNS name and user pool into a typed spec', () => {
  let outdir: string;
  let gatehouse: Gatehouse;
  let stack: Stack;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'gatehouse-user-app-'));
    const app = new App({ outdir });
    stack = new Stack(app, 'UserStack', { env: { region: 'eu-west-1' } });
    gatehouse = new Gatehouse(stack, 'Gatehouse', { spec: userSpec(userResources(stack)) });
    // cdk-nag over Gatehouse's resources: a finding it does not acknowledge fails the synth.
    addGatehouseChecks(gatehouse);
    app.synth();
  });

  it('WHEN synthesized THEN the HTTP API integrations and the native JWT authorizer take the values at deploy', () => {
    // Routes, integrations and authorizers are the HTTP API's OpenAPI body, as the template writes it.
    const template = Template.fromStack(stack);
    const [api] = Object.values(template.findResources('AWS::ApiGatewayV2::Api'));
    const body = api!.Properties.Body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const jwt = Object.values(body.components.securitySchemes as Record<string, any>)
      .map((s) => s['x-amazon-apigateway-authorizer'])
      .find((a) => a?.type === 'jwt');
    expect(JSON.stringify(jwt.jwtConfiguration)).toMatch(/"Ref":"Pool[0-9A-F]+"/);
    expect(JSON.stringify(jwt.jwtConfiguration.audience)).toMatch(/"Ref":"PoolWeb[0-9A-F]+"/);
    const uris = Object.values(body.components['x-amazon-apigateway-integrations'] as Record<string, { uri: unknown }>).map((i) =>
      JSON.stringify(i.uri),
    );
    expect(uris.some((u) => u.includes('OrdersNlb') && u.includes('DNSName'))).toBe(true);
    expect(uris.some((u) => u.includes('UsersFunctionFunctionUrl'))).toBe(true);
  });

  it('WHEN synthesized THEN the NodejsFunction is a direct AWS_PROXY integration with one invoke permission for the API, whatever its paths and methods', () => {
    const template = Template.fromStack(stack);
    const [api] = Object.values(template.findResources('AWS::ApiGatewayV2::Api'));
    const body = api!.Properties.Body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const integration = body.components['x-amazon-apigateway-integrations']['lambda-me'];
    expect(integration).toMatchObject({ type: 'aws_proxy', httpMethod: 'POST', payloadFormatVersion: '2.0' });
    expect(JSON.stringify(integration.uri)).toMatch(/"Fn::GetAtt":\["GetUsersFunction[0-9A-F]+","Arn"\]/);
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).filter((p) =>
      JSON.stringify(p.Properties.FunctionName).includes('GetUsersFunction'),
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]!.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' });
    expect(JSON.stringify(permissions[0]!.Properties.SourceArn)).toMatch(/execute-api.*\/\*\/\*\/\*/);
    expect(Object.keys(body.paths).filter((p) => p.startsWith('/api/me'))).toHaveLength(4);
  });

  it('WHEN explained THEN the values print as ${Token[...]} with the construct they come from, and a warning says what waits for deploy', () => {
    const text = explainPlan(gatehouse.plan);
    expect(text).toMatch(/\$\{Token\[[^\]]+\]\} \(UserStack\/OrdersNlb\/Resource\.DNSName\)/);
    expect(text).toMatch(
      /lambda-function → \$\{Token\[[^\]]+\]\} \(UserStack\/GetUsersFunction\/Resource\.Arn\) \(payload 2\.0, 10000 ms\)/,
    );
    expect(text).toMatch(
      /https:\/\/cognito-idp\.\$\{Token\[AWS\.Region\.\d+\]\}\.amazonaws\.com\/\$\{Token\[[^\]]+\]\} \(UserStack\/Pool\/Resource\.Ref\)/,
    );
    expect(gatehouse.plan.warnings.filter((w) => w.code === 'DEPLOY_TIME_VALUES').map((w) => w.where)).toEqual([
      'services.users.url',
      'services.orders.url',
      'services.me.lambda',
      'gateways.public.auth.jwt.issuers[0].cognito.userPoolId',
      'gateways.public.auth.jwt.issuers[0].cognito.clientIds[0]',
    ]);
  });

  it.skipIf(!haveCfnLint)('WHEN its templates are linted THEN cfn-lint finds no errors', { timeout: scaled(240_000) }, () => {
    const templates = readdirSync(outdir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => join(outdir, f));
    const run = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...templates], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const errors = run.stdout.split('\n').filter((line) => /:E\d{4}:/.test(line));
    expect(errors, run.stdout + run.stderr).toEqual([]);
    expect(run.status === 0 || (run.status !== null && (run.status & 2) === 0), run.stdout).toBe(true);
  });
});

describe('GIVEN values of other constructs where synth must know them', () => {
  // These fail while Gatehouse is built, before any asset matters: skipping the bundling of the user's NodejsFunction
  // (esbuild in a child process, seconds each under load) changes nothing they check. The context key is CDK's
  // cx-api BUNDLING_STACKS ("Run bundling for stacks specified in this context key"); an empty list bundles none.
  const unbundledStack = () => new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S');
  it('WHEN a REST gateway would bake a token issuer into its Lambda authorizer THEN it is a clear error naming the fix', () => {
    const stack = unbundledStack();
    let thrown: unknown;
    try {
      new Gatehouse(stack, 'G', { spec: userSpec(userResources(stack), 'rest') });
    } catch (err) {
      thrown = err;
    }
    expect(isInvalidSpecError(thrown)).toBe(true);
    expect((thrown as ConfigError).issues.map((i) => i.where)).toEqual(['gateways.public.auth.jwt.issuers']);
    expect((thrown as Error).message).toMatch(
      /the JWT Lambda authorizer bakes its issuers into its bundle at synth.*use flavor: http, whose native JWT authorizer takes it at deploy/,
    );
  });

  it('WHEN a proxied service has a token URL THEN the proxy refuses it: it bakes its config at synth', () => {
    const stack = unbundledStack();
    const r = userResources(stack);
    const spec = userSpec(r) as { services: Record<string, Record<string, unknown>> };
    spec.services.orders!.retries = { attempts: 1 };
    expect(() => new Gatehouse(stack, 'G', { spec: spec as GatehouseSpecInput })).toThrow(
      /services\.orders: the resilient proxy of service "orders" bakes its config into its bundle at synth/,
    );
  });

  it('WHEN a Lambda service given as the function itself needs the proxy THEN the proxy refuses it: it invokes by a name baked at synth', () => {
    const stack = unbundledStack();
    const spec = userSpec(userResources(stack)) as { services: Record<string, Record<string, unknown>> };
    spec.services.me!.circuitBreaker = {};
    expect(() => new Gatehouse(stack, 'G', { spec: spec as GatehouseSpecInput })).toThrow(
      /services\.me: the resilient proxy of service "me" bakes its config into its bundle at synth/,
    );
  });

  it('WHEN a token URL starts with a literal that is no scheme THEN its literal part is checked', () => {
    const stack = unbundledStack();
    const r = userResources(stack);
    const spec = userSpec(r) as { services: Record<string, Record<string, unknown>> };
    spec.services.orders!.url = `ftp://${r.nlb.loadBalancerDnsName}`;
    expect(() => new Gatehouse(stack, 'G', { spec: spec as GatehouseSpecInput })).toThrow(
      /services\.orders\.url: a URL built around a CDK token must still start with http:\/\/ or https:\/\//,
    );
  });

  it('WHEN a token ARN does not start with arn: THEN its literal part is checked', () => {
    const stack = unbundledStack();
    const r = userResources(stack);
    const spec = userSpec(r) as { gateways: Record<string, Record<string, unknown>> };
    spec.gateways.public!.observability = { alarmTopicArn: `topic/${r.pool.userPoolId}` };
    expect(() => new Gatehouse(stack, 'G', { spec: spec as GatehouseSpecInput })).toThrow(
      /gateways\.public\.observability\.alarmTopicArn: an ARN built around a CDK token must still start with arn:/,
    );
  });
});
