// Gatehouse as a construct library: scoped cdk-nag checks, CDK ValidationErrors, fromConfigFile, gateway URLs and metrics.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Errors, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { addAppWideChecks, addGatehouseChecks } from '../../lib/checks';
import { Gatehouse } from '../../lib/constructs/gatehouse';
import { GatehouseSpecError } from '../../lib/constructs/validation-error';
import { isInvalidSpecError } from '../../lib/config/errors';
import type { GatehouseSpec } from '../../lib/config/types';
import { validateConfig } from '../../lib/config/load';
import { planSpec } from '../../lib/plan/plan';
import type { HttpGatewayPlan, RestGatewayPlan } from '../../lib/plan/types';
import { HttpGateway } from '../../lib/constructs/http-gateway';
import { RestGateway } from '../../lib/constructs/rest-gateway';

/** A typed spec, as an app writes it: the interfaces, no zod types. */
const spec = (flavor: 'rest' | 'http' = 'rest'): GatehouseSpec => ({
  services: { users: { url: 'https://users.example.com' } },
  gateways: { public: { flavor, routes: [{ service: 'users', paths: ['/users'], methods: ['GET'] }] } },
});

/** An app whose own resources break AwsSolutions rules: a Lambda on an old runtime, a Cognito pool without MFA or advanced security. */
function appWithOwnResources(): { app: App; stack: Stack } {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'gatehouse-lib-')) });
  const stack = new Stack(app, 'Shop', { env: { region: 'eu-west-1' } });
  new lambda.Function(stack, 'Legacy', {
    runtime: lambda.Runtime.NODEJS_18_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => 1;'),
  });
  new cognito.UserPool(stack, 'Users', { passwordPolicy: { minLength: 6 } });
  return { app, stack };
}

function synthError(app: App): string {
  try {
    app.synth();
  } catch (err) {
    return String(err);
  }
  return '';
}

describe('addGatehouseChecks', () => {
  it("GIVEN an app with its own non-compliant Lambda and Cognito pool WHEN checks are scoped to the Gatehouse THEN synth passes: the app's resources get no findings", () => {
    const { app, stack } = appWithOwnResources();
    addGatehouseChecks(new Gatehouse(stack, 'Api', { spec: spec() }));
    expect(synthError(app)).toBe('');
  });

  it('GIVEN the same app WHEN the app-wide checks are opted into THEN the app’s own resources fail synth (the scoping is what kept them out)', () => {
    const { app, stack } = appWithOwnResources();
    new Gatehouse(stack, 'Api', { spec: spec() });
    addAppWideChecks(app);
    const error = synthError(app);
    expect(error).toMatch(/AwsSolutions-L1/);
    expect(error).toMatch(/AwsSolutions-COG/);
    expect(error).toMatch(/Shop\/Legacy/);
  });

  it('GIVEN a non-compliant resource inside the Gatehouse scope WHEN scoped checks run THEN synth fails on it (the checks really run there)', () => {
    const { app, stack } = appWithOwnResources();
    const gatehouse = new Gatehouse(stack, 'Api', { spec: spec('http') });
    new sqs.Queue(gatehouse, 'Unencrypted', { enforceSSL: false });
    addGatehouseChecks(gatehouse);
    const error = synthError(app);
    expect(error).toMatch(/AwsSolutions-SQS3|AwsSolutions-SQS4/);
    expect(error).toMatch(/Shop\/Api\/Unencrypted/);
    // Other validation plugins (aws-cdk-lib's CloudFormation validation) may still warn about the app's resources.
    const nagFindings = error.split('\n\n').filter((block) => block.includes('(AwsSolutions)'));
    expect(nagFindings.length).toBeGreaterThan(0);
    expect(nagFindings.join('\n')).not.toMatch(/Shop\/Legacy|Shop\/Users/);
  });

  it('GIVEN scoped checks WHEN synthesized THEN Gatehouse’s acknowledgements are written into its resources’ Metadata and not into the app’s', () => {
    const { app, stack } = appWithOwnResources();
    addGatehouseChecks(new Gatehouse(stack, 'Api', { spec: spec() }));
    const template = app.synth().getStackByName('Shop').template as {
      Resources: Record<string, { Type: string; Metadata?: Record<string, unknown> }>;
    };
    const withNagMetadata = Object.values(template.Resources).filter((r) => r.Metadata?.cdk_nag);
    expect(withNagMetadata.map((r) => r.Type)).toContain('AWS::ApiGateway::Stage');
    expect(withNagMetadata.map((r) => r.Type)).not.toContain('AWS::Cognito::UserPool');
    expect(withNagMetadata.map((r) => r.Type)).not.toContain('AWS::Lambda::Function');
  });
});

describe('errors are aws-cdk-lib ValidationErrors at the construct', () => {
  it('GIVEN an invalid typed spec WHEN a Gatehouse is built THEN a ValidationError at its path lists every problem as the CLI prints them', () => {
    const stack = new Stack(new App(), 'Shop');
    const bad = { services: { users: { url: 'ftp://users' } }, gateways: { public: { routes: [{ service: 'nope', paths: ['api'] }] } } };
    let error: unknown;
    try {
      new Gatehouse(stack, 'Api', { spec: bad as GatehouseSpec });
    } catch (err) {
      error = err;
    }
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error).toBeInstanceOf(GatehouseSpecError);
    expect(isInvalidSpecError(error)).toBe(true);
    const e = error as GatehouseSpecError;
    expect(e.constructPath).toBe('Shop/Api');
    expect(e.message).toMatch(/^Invalid Gatehouse config \(\d+ problems\):\n/);
    expect(e.message).toContain('  services.users.url: url must be an absolute http:// or https:// URL');
    expect(e.message).toContain('  gateways.public.routes[0].paths[0]: a path starts with "/"');
    expect(e.issues.map((i) => i.where)).toEqual(expect.arrayContaining(['services.users.url', 'gateways.public.routes[0].paths[0]']));
  });

  it('GIVEN a spec the planner refuses WHEN a Gatehouse is built THEN that is a ValidationError at the construct too', () => {
    const stack = new Stack(new App(), 'Shop');
    const overQuota: GatehouseSpec = {
      ...spec(),
      gateways: { public: { stage: { throttle: { rate: 20_000, burst: 100 } }, routes: spec().gateways.public!.routes } },
    };
    expect(() => new Gatehouse(stack, 'Api', { spec: overQuota })).toThrow(
      expect.objectContaining({ constructPath: 'Shop/Api', message: expect.stringMatching(/gateways\.public\.stage\.throttle\.rate/) }),
    );
  });

  it('GIVEN a gateway name the Gatehouse does not have WHEN asked for it THEN a ValidationError names the ones it has', () => {
    const gatehouse = new Gatehouse(new Stack(new App(), 'Shop'), 'Api', { spec: spec() });
    let error: unknown;
    try {
      gatehouse.gateway('private');
    } catch (err) {
      error = err;
    }
    expect(Errors.isValidationError(error)).toBe(true);
    expect(String(error)).toMatch(/no gateway "private" in this Gatehouse; its gateways are: public/);
  });
});

describe('Gatehouse.fromConfigFile', () => {
  const write = (text: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'gatehouse-config-')), 'gatehouse.yaml');
    writeFileSync(file, text);
    return file;
  };

  it('GIVEN a valid YAML file WHEN rendered from it THEN the Gatehouse has its spec and plan', () => {
    const file = write(
      'services:\n  users:\n    url: https://users.example.com\ngateways:\n  public:\n    routes:\n      - service: users\n        paths: [/users]\n',
    );
    const gatehouse = Gatehouse.fromConfigFile(new Stack(new App(), 'Shop'), 'Api', file);
    expect(gatehouse.spec.gateways.public!.stage.name).toBe('prod');
    expect(gatehouse.plan.gateways.map((g) => g.name)).toEqual(['public']);
    expect(gatehouse.node.path).toBe('Shop/Api');
  });

  it('GIVEN an invalid YAML file WHEN rendered from it THEN a ValidationError at the scope lists each problem with file:line', () => {
    const file = write(
      'services:\n  users:\n    url: https://users.example.com\n    timout: 100\ngateways:\n  public:\n    routes:\n      - service: users\n        paths: [/users]\n',
    );
    expect(() => Gatehouse.fromConfigFile(new Stack(new App(), 'Shop'), 'Api', file)).toThrow(
      expect.objectContaining({
        constructPath: 'Shop',
        message: expect.stringContaining(`${file}:4:5 services.users.timout: unknown field "timout"`),
      }),
    );
  });

  it('GIVEN a missing file WHEN rendered from it THEN a ValidationError says the file was not found', () => {
    expect(() => Gatehouse.fromConfigFile(new Stack(new App(), 'Shop'), 'Api', '/nonexistent/gatehouse.yaml')).toThrow(
      /cannot read the config: file not found/,
    );
  });
});

describe('gatehouse.gateway(name): url and metrics', () => {
  it.each(['rest', 'http'] as const)(
    'GIVEN a %s gateway WHEN its url and dashboard metrics are read THEN they name its API and stage',
    (flavor) => {
      const stack = new Stack(new App(), 'Shop');
      const gateway = new Gatehouse(stack, 'Api', { spec: spec(flavor) }).gateway('public');
      expect(gateway.flavor).toBe(flavor);
      const url = stack.resolve(gateway.url) as { 'Fn::Join': [string, unknown[]] };
      expect(JSON.stringify(url)).toMatch(/execute-api/);
      if (flavor === 'rest') expect(JSON.stringify(url)).toMatch(/"\/",\{"Ref":"ApiPublicStage[0-9A-F]+"\},"\/"/);

      const requests = gateway.metricRequests();
      expect(requests.namespace).toBe('AWS/ApiGateway');
      expect(requests.metricName).toBe('Count');
      expect(requests.statistic).toBe('Sum');
      expect(requests.period.toMinutes()).toBe(1);
      expect(gateway.metricClientErrors().metricName).toBe(flavor === 'rest' ? '4XXError' : '4xx');
      expect(gateway.metricServerErrors().metricName).toBe(flavor === 'rest' ? '5XXError' : '5xx');
      expect(gateway.metricLatency().statistic).toBe('p99');
      expect(gateway.metricLatency({ statistic: 'p50' }).statistic).toBe('p50');
      const dimensions = Object.keys(requests.dimensions ?? {}).sort();
      expect(dimensions).toEqual(flavor === 'rest' ? ['ApiName', 'Stage'] : ['ApiId', 'Stage']);
    },
  );
});

describe('tokens from the app’s own constructs in a typed spec', () => {
  it('GIVEN alarmTopicArn set to the app’s own topic WHEN synthesized THEN the gateway’s alarms notify that topic and no Gatehouse topic is made', () => {
    const stack = new Stack(new App(), 'Shop');
    const alerts = new sns.Topic(stack, 'OpsAlerts');
    const typed = spec();
    new Gatehouse(stack, 'Api', {
      spec: { ...typed, gateways: { public: { ...typed.gateways.public!, observability: { alarmTopicArn: alerts.topicArn } } } },
    });
    const template = Template.fromStack(stack);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms)
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: stack.getLogicalId(alerts.node.defaultChild as sns.CfnTopic) }]);
    template.resourceCountIs('AWS::SNS::Topic', 1);
  });

  it('GIVEN a plain string that is no SNS ARN WHEN validated THEN it is still refused with the ARN shape', () => {
    const typed = spec();
    expect(
      () =>
        new Gatehouse(new Stack(new App(), 'Shop'), 'Api', {
          spec: { ...typed, gateways: { public: { ...typed.gateways.public!, observability: { alarmTopicArn: 'alerts' } } } },
        }),
    ).toThrow(/gateways\.public\.observability\.alarmTopicArn: an SNS topic ARN looks like arn:aws:sns/);
  });
});

describe('gatehouse.grantManageKeys', () => {
  it('GIVEN a role WHEN granted key management THEN it may manage API keys and only this Gatehouse’s usage plans’ keys', () => {
    const stack = new Stack(new App(), 'Shop');
    const typed = spec();
    const withPlans: GatehouseSpec = {
      ...typed,
      gateways: {
        public: {
          ...typed.gateways.public!,
          plans: { standard: { throttle: { rate: 10, burst: 20 } } },
          consumers: { acme: { plans: ['standard'] } },
        },
      },
    };
    const role = new iam.Role(stack, 'KeysOperator', { assumedBy: new iam.AccountRootPrincipal() });
    const gatehouse = new Gatehouse(stack, 'Api', { spec: withPlans });
    gatehouse.grantManageKeys(role);
    const planId = stack.resolve(gatehouse.gateways.public!.usagePlans.standard!.usagePlanId);
    const arn = (...path: unknown[]) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ...path]],
    });
    const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes('KeysOperator'),
    );
    expect(policies).toHaveLength(1);
    expect(policies[0]!.Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['apigateway:GET', 'apigateway:POST', 'apigateway:PATCH', 'apigateway:DELETE'],
        Resource: [
          arn('::/apikeys'),
          arn('::/apikeys/*'),
          arn('::/usageplans'),
          arn('::/usageplans/', planId, '/keys'),
          arn('::/usageplans/', planId, '/keys/*'),
        ],
      },
    ]);
  });
});

describe('the 0.1 names of the config API', () => {
  it('GIVEN code written against 0.1 WHEN it imports loadSpec, parseSpec, validateSpec or SpecError THEN they are the renamed loadConfig, parseConfig, validateConfig and ConfigError', async () => {
    const surface = await import('../../lib/index');
    expect(surface.loadSpec).toBe(surface.loadConfig);
    expect(surface.parseSpec).toBe(surface.parseConfig);
    expect(surface.validateSpec).toBe(surface.validateConfig);
    expect(surface.SpecError).toBe(surface.ConfigError);
  });
});

describe("a gateway construct given the other flavor's plan", () => {
  // The props are typed per flavor; JavaScript callers (or a cast) can still hand over the other one.
  const planOf = (flavor: 'rest' | 'http') => planSpec(validateConfig(spec(flavor))).gateways[0]!;

  it('GIVEN an HTTP plan WHEN a RestGateway is built THEN it is a ValidationError naming HttpGateway', () => {
    const stack = new Stack(new App(), 'Wrong');
    expect(() => new RestGateway(stack, 'Api', { plan: planOf('http') as unknown as RestGatewayPlan })).toThrow(
      /RestGateway "public": the plan is for flavor "http"; use HttpGateway/,
    );
  });

  it('GIVEN a REST plan WHEN an HttpGateway is built THEN it is a ValidationError naming RestGateway', () => {
    const stack = new Stack(new App(), 'Wrong');
    expect(() => new HttpGateway(stack, 'Api', { plan: planOf('rest') as unknown as HttpGatewayPlan })).toThrow(
      /HttpGateway "public": the plan is for flavor "rest"; use RestGateway/,
    );
  });
});
