// services.<name>.lambda and payload (lambda-function.ts, lambda-rules.ts): every rejection at its file:line, every default asserted.
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { parseConfig, validateConfig } from '../../lib/config/load';
import { planSpec } from '../../lib/plan/plan';
import { catchSpecError } from './fixtures';

const FN = 'arn:aws:lambda:eu-west-1:123456789012:function:get-users';

/** A config file whose service `users` has the given lines (indented under it), with REST and HTTP gateways as asked. */
function config(serviceLines: string[], options: { flavors?: ('rest' | 'http')[]; account?: string[] } = {}): string {
  const flavors = options.flavors ?? ['http'];
  return [
    ...(options.account ? ['account:', ...options.account.map((l) => `  ${l}`)] : []),
    'services:',
    '  users:',
    ...serviceLines.map((l) => `    ${l}`),
    'gateways:',
    ...flavors.flatMap((flavor) => [
      `  ${flavor}gw:`,
      `    flavor: ${flavor}`,
      '    routes: [{ service: users, paths: [/users], methods: [GET] }]',
    ]),
    '',
  ].join('\n');
}

/** The one problem of a config file: where, line, and message. */
function problem(yaml: string) {
  const err = catchSpecError(() => planSpec(parseConfig(yaml, 'gw.yaml')));
  expect(err.issues).toHaveLength(1);
  return err.issues[0]!;
}

describe('services.<name>.lambda: what a function reference may be', () => {
  it.each([
    ['a function ARN', FN],
    ['an ARN with an alias', `${FN}:live`],
    ['an ARN with a version', `${FN}:7`],
    ['an ARN with $LATEST', `${FN}:$LATEST`],
    ['a GovCloud ARN', 'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:get-users'],
    ['a name', 'get-users'],
    ['name:alias', 'get-users:live'],
  ])('GIVEN %s WHEN validated THEN it is accepted as written', (_, value) => {
    expect(
      validateConfig({ services: { users: { lambda: value } }, gateways: { g: { routes: [{ service: 'users', paths: ['/u'] }] } } })
        .services.users!.lambda,
    ).toBe(value);
  });

  it.each([
    [
      'an SQS ARN',
      'arn:aws:sqs:eu-west-1:123456789012:queue',
      /is an ARN of sqs, not of a Lambda function: give arn:aws:lambda:<region>:<account>:function:<name>/,
    ],
    ['a Lambda layer ARN', 'arn:aws:lambda:eu-west-1:123456789012:layer:deps:3', /is a Lambda ARN but not of a function \(layer\)/],
    ['an ARN without region', 'arn:aws:lambda::123456789012:function:f', /names no region or account/],
    ['a broken ARN', 'arn:aws:lambda', /is not an ARN/],
    ['a name with a slash', 'users/get', /is no function: give its ARN .*, its name .*, or name:<alias or version>/],
    ['a name over 64 characters', 'f'.repeat(65), /is no function/],
  ])('GIVEN %s WHEN loaded THEN it is an error at the lambda line', (_, value, message) => {
    const issue = problem(config([`lambda: "${value}"`]));
    expect(issue).toMatchObject({ where: 'services.users.lambda', file: 'gw.yaml', line: 3 });
    expect(issue.message).toMatch(message);
  });

  it('GIVEN lambda and url WHEN loaded THEN the error names the choice, at url', () => {
    const issue = problem(config([`lambda: ${FN}`, 'url: https://users.example.com']));
    expect(issue).toMatchObject({ where: 'services.users.url', line: 4 });
    expect(issue.message).toMatch(/give either lambda \(a Lambda function API Gateway invokes\) or url \(HTTP upstreams\), not both/);
  });

  it('GIVEN lambda and targets WHEN loaded THEN the error names the choice, at targets', () => {
    const issue = problem(config([`lambda: ${FN}`, 'targets: [{ url: https://a.example.com }]']));
    expect(issue).toMatchObject({ where: 'services.users.targets', line: 4 });
    expect(issue.message).toMatch(/either lambda .* or targets/);
  });

  it('GIVEN neither url, targets nor lambda WHEN loaded THEN the missing-upstream error names all three', () => {
    expect(problem(config(['timeoutMs: 1000'])).message).toMatch(
      /the upstream base URL, .*or a list of targets, or a Lambda function \(lambda\)/,
    );
  });

  it('GIVEN an ARN in another region than account.region WHEN loaded THEN it is an error naming both regions', () => {
    const issue = problem(config([`lambda: ${FN.replace('eu-west-1', 'us-east-1')}`], { account: ['region: eu-west-1'] }));
    expect(issue).toMatchObject({ where: 'services.users.lambda', line: 5 });
    expect(issue.message).toMatch(
      /the function is in us-east-1, not in account.region eu-west-1: API Gateway invokes functions of its own region only/,
    );
  });

  it("GIVEN an ARN of another partition than account.region's WHEN loaded THEN it is an error naming the partitions", () => {
    const issue = problem(config(['lambda: arn:aws:lambda:cn-north-1:123456789012:function:f'], { account: ['region: cn-north-1'] }));
    expect(issue.message).toBe(
      'the function is in partition aws, but account.region cn-north-1 is in aws-cn: API Gateway invokes functions of its own partition and region only',
    );
  });

  it('GIVEN an aws-cn ARN and a cn region, or a name with any region, WHEN loaded THEN both are accepted', () => {
    expect(() =>
      planSpec(parseConfig(config(['lambda: arn:aws-cn:lambda:cn-north-1:123456789012:function:f'], { account: ['region: cn-north-1'] }))),
    ).not.toThrow();
    expect(() => planSpec(parseConfig(config(['lambda: get-users:live'], { account: ['region: ap-south-1'] })))).not.toThrow();
  });

  it('GIVEN no account.region WHEN an ARN of any region is loaded THEN it is accepted (the region is checked at deploy)', () => {
    expect(() => planSpec(parseConfig(config([`lambda: ${FN.replace('eu-west-1', 'us-east-1')}`])))).not.toThrow();
  });

  it('GIVEN allowPlaintext on a Lambda service WHEN loaded THEN it is an error: the function is invoked over TLS', () => {
    const issue = problem(config([`lambda: ${FN}`, 'allowPlaintext: true']));
    expect(issue).toMatchObject({ where: 'services.users.allowPlaintext', line: 4 });
    expect(issue.message).toBe(
      'a Lambda service is invoked through the AWS API, over TLS, so there is no plaintext to allow: remove allowPlaintext',
    );
  });

  it('GIVEN clientCertificate on a Lambda service WHEN loaded THEN it is an error: there is no TLS handshake', () => {
    const issue = problem(config([`lambda: ${FN}`, 'clientCertificate: true'], { flavors: ['rest'] }));
    expect(issue).toMatchObject({ where: 'services.users.clientCertificate', line: 4 });
    expect(issue.message).toMatch(/invokes a Lambda service through IAM/);
  });
});

describe('services.<name>.payload', () => {
  it('GIVEN no payload WHEN planned THEN HTTP gateways send 2.0 and REST gateways 1.0', () => {
    const plan = planSpec(parseConfig(config([`lambda: ${FN}`], { flavors: ['rest', 'http'] })));
    const payloads = Object.fromEntries(
      plan.gateways.map((g) => [g.flavor, g.routes[0]!.integration.kind === 'lambda-function' && g.routes[0]!.integration.payload]),
    );
    expect(payloads).toEqual({ rest: '1.0', http: '2.0' });
  });

  it("GIVEN a proxied Lambda service WHEN planned THEN the proxy invokes it with the payload of its gateway's flavor", () => {
    const plan = planSpec(parseConfig(config([`lambda: ${FN}`, 'retries: { attempts: 1 }'], { flavors: ['rest', 'http'] })));
    expect(plan.gateways.map((g) => [g.flavor, g.proxies[0]!.config.targets[0]!.lambda])).toEqual([
      ['rest', { functionName: FN, payload: '1.0' }],
      ['http', { functionName: FN, payload: '2.0' }],
    ]);
    expect(plan.gateways.map((g) => g.proxies[0]!.invokes)).toEqual([[FN], [FN]]);
  });

  it('GIVEN payload 1.0 on an HTTP gateway WHEN planned THEN its integration sends 1.0', () => {
    const plan = planSpec(parseConfig(config([`lambda: ${FN}`, 'payload: "1.0"'])));
    expect(plan.gateways[0]!.routes[0]!.integration).toMatchObject({ kind: 'lambda-function', payload: '1.0' });
  });

  it('GIVEN payload 2.0 on a service only REST gateways reach WHEN loaded THEN it is an error at payload', () => {
    const issue = problem(config([`lambda: ${FN}`, 'payload: "2.0"'], { flavors: ['rest'] }));
    expect(issue).toMatchObject({ where: 'services.users.payload', line: 4 });
    expect(issue.message).toMatch(/a REST API always sends payload 1.0 to a Lambda .*: remove payload, or set "1.0"/);
  });

  it('GIVEN payload 2.0 on a service REST and HTTP gateways reach WHEN planned THEN HTTP sends 2.0 and REST 1.0', () => {
    const plan = planSpec(parseConfig(config([`lambda: ${FN}`, 'payload: "2.0"'], { flavors: ['rest', 'http'] }), 'gw.yaml'));
    expect(plan.gateways.map((g) => g.routes[0]!.integration)).toEqual([
      expect.objectContaining({ payload: '1.0' }),
      expect.objectContaining({ payload: '2.0' }),
    ]);
    // The function gets both shapes: the warning says so, at payload's line.
    expect(plan.warnings.filter((w) => w.code === 'LAMBDA_PAYLOAD_PER_FLAVOR')).toEqual([
      expect.objectContaining({
        where: 'services.users.payload',
        line: 4,
        message: expect.stringMatching(
          /REST gateway\(s\) restgw send this function payload 1.0 .* HTTP gateways 2.0: the function must read both event shapes/,
        ),
      }),
    ]);
  });

  it('GIVEN payload 2.0 on a service only HTTP gateways reach, or no payload, WHEN planned THEN there is no payload warning', () => {
    for (const lines of [[`lambda: ${FN}`, 'payload: "2.0"'], [`lambda: ${FN}`]]) {
      const flavors: ('rest' | 'http')[] = lines.length === 2 ? ['http'] : ['rest', 'http'];
      expect(planSpec(parseConfig(config(lines, { flavors }))).warnings.map((w) => w.code)).not.toContain('LAMBDA_PAYLOAD_PER_FLAVOR');
    }
  });

  it('GIVEN payload without lambda WHEN loaded THEN it is an error at payload', () => {
    const issue = problem(config(['url: https://users.example.com', 'payload: "1.0"']));
    expect(issue).toMatchObject({ where: 'services.users.payload', line: 4 });
    expect(issue.message).toMatch(/payload is the event version a Lambda function receives: it needs lambda/);
  });

  it('GIVEN a payload other than 1.0 or 2.0 WHEN loaded THEN it is an error at payload', () => {
    expect(problem(config([`lambda: ${FN}`, 'payload: "3.0"'])).where).toBe('services.users.payload');
  });
});

describe('services.<name>.lambda in a TypeScript spec', () => {
  it('GIVEN a lambda.IFunction, an alias or a version WHEN validated THEN the spec holds its ARN (qualified for an alias or version)', () => {
    const stack = new Stack(new App(), 'S');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    });
    const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    for (const ref of [fn, alias, fn.currentVersion]) {
      const spec = validateConfig({
        services: { users: { lambda: ref } },
        gateways: { g: { routes: [{ service: 'users', paths: ['/u'] }] } },
      });
      expect(spec.services.users!.lambda).toBe(ref.functionArn);
    }
  });

  it('GIVEN an object that is no function WHEN validated THEN the error says what lambda takes', () => {
    const err = catchSpecError(() =>
      validateConfig({ services: { users: { lambda: { arn: FN } } }, gateways: { g: { routes: [{ service: 'users', paths: ['/u'] }] } } }),
    );
    expect(err.issues[0]).toMatchObject({ where: 'services.users.lambda' });
    expect(err.message).toMatch(/a function ARN, name or name:alias \(or, in a TypeScript spec, a lambda.IFunction, IAlias or IVersion\)/);
  });
});

describe('routes to a Lambda service', () => {
  it('GIVEN stripPath on a direct route WHEN planned THEN a warning at stripPath says the event carries the full path', () => {
    const yaml = [
      'services:',
      `  users: { lambda: "${FN}" }`,
      'gateways:',
      '  api:',
      '    routes:',
      '      - service: users',
      '        paths: [/users, /people]',
      '        stripPath: true',
      '',
    ].join('\n');
    const warnings = planSpec(parseConfig(yaml, 'gw.yaml')).warnings.filter((w) => w.code === 'STRIP_PATH_NOT_FOR_LAMBDA');
    expect(warnings).toEqual([
      expect.objectContaining({
        where: 'gateways.api.routes[0].stripPath',
        line: 8,
        message: expect.stringMatching(/event carries the caller's full path: stripPath changes nothing/),
      }),
    ]);
  });

  it('GIVEN no stripPath WHEN planned THEN there is no such warning', () => {
    expect(planSpec(parseConfig(config([`lambda: ${FN}`]))).warnings.map((w) => w.code)).not.toContain('STRIP_PATH_NOT_FOR_LAMBDA');
  });
});
