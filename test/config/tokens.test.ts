// Issue 14 item 4 in the spec: fields another construct can fill accept an unresolved CDK token in a TS spec; literal parts are checked; YAML refuses tokens.
import { Lazy, Token } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { planSpec } from '../../lib/plan/plan';
import { parseConfig, validateConfig } from '../../lib/config/load';
import { describeTokens } from '../../lib/config/tokens';
import { expectOnlyIssue, specWith } from './fixtures';

/** A value known only at deploy, as another construct's attribute would be. */
const token = (name: string) => Lazy.string({ produce: () => name });
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:alerts';
const VPC = (subnet: string, sg: string) => ({ subnetIds: [subnet], securityGroupIds: [sg] });

describe('GIVEN a typed spec with values of other constructs', () => {
  it.each([
    ['a service url', [['services', 'users', 'url'], token('https://users.example.com')]],
    ['a url with a literal scheme around a token', [['services', 'users', 'url'], `https://${token('nlb.example.com')}/v1`]],
    ['a target url', [['services', 'users'], { targets: [{ url: token('https://a.example.com') }, { url: 'https://b.example.com' }] }]],
    [
      'an issuer and its JWKS URL',
      [
        ['gateways', 'public', 'auth'],
        {
          jwt: {
            issuers: [{ issuer: token('https://login.example.com/'), audience: ['api'], jwksUri: token('https://login.example.com/keys') }],
          },
        },
      ],
    ],
    [
      'a Cognito pool id and app client',
      [['gateways', 'public', 'auth'], { jwt: { issuers: [{ cognito: { userPoolId: token('eu-west-1_A'), clientIds: [token('c')] } }] } }],
    ],
    ['an alarm topic ARN', [['gateways', 'public', 'observability'], { alarmTopicArn: token(TOPIC) }]],
    ['a proxy VPC subnet and security group', [['services', 'users', 'proxy'], { vpc: VPC(token('subnet-1'), token('sg-1')) }]],
  ] as const)('WHEN %s is a token THEN it validates', (_given, patch) => {
    expect(() => validateConfig(specWith(patch as never))).not.toThrow();
  });

  it('WHEN a Cognito pool id is a token THEN the issuer URL is built around it in the stack region', () => {
    const spec = validateConfig(
      specWith([
        ['gateways', 'public', 'auth'],
        { jwt: { issuers: [{ cognito: { userPoolId: token('eu-west-1_A'), clientIds: ['c'] } }] } },
      ]),
    );
    const issuer = spec.gateways.public!.auth!.jwt!.issuers[0]!.issuer;
    expect(Token.isUnresolved(issuer)).toBe(true);
    expect(issuer).toMatch(/^https:\/\/cognito-idp\.\$\{Token\[AWS\.Region\.\d+\]\}\.amazonaws\.com\/\$\{Token\[TOKEN\.\d+\]\}$/);
  });

  it('WHEN a token value is planned THEN a DEPLOY_TIME_VALUES warning names the field and what waits for deploy', () => {
    const plan = planSpec(validateConfig(specWith([['services', 'users', 'url'], token('https://users.example.com')])));
    const warning = plan.warnings.find((w) => w.code === 'DEPLOY_TIME_VALUES');
    expect(warning).toMatchObject({ where: 'services.users.url' });
    expect(warning!.message).toMatch(/^\$\{Token\[TOKEN\.\d+\]\} comes from another construct; synth checked its literal parts only/);
  });

  it('WHEN a token is not a construct attribute THEN explain prints the bare placeholder', () => {
    const value = token('x');
    expect(describeTokens(`url ${value}`)).toBe(`url ${value}`);
  });

  it.each([
    [
      'a url whose literal start is no scheme',
      ['services', 'users', 'url'],
      `ftp://${token('h')}`,
      'services.users.url',
      /a URL built around a CDK token must still start with http:\/\/ or https:\/\//,
    ],
    [
      'an issuer whose literal start is no scheme',
      ['gateways', 'public', 'auth'],
      { jwt: { issuers: [{ issuer: `login/${token('h')}`, audience: ['a'] }] } },
      'gateways.public.auth.jwt.issuers[0].issuer',
      /must still start with http:\/\/ or https:\/\//,
    ],
    [
      'an ARN whose literal start is no arn:',
      ['gateways', 'public', 'observability'],
      { alarmTopicArn: `sns/${token('t')}` },
      'gateways.public.observability.alarmTopicArn',
      /an ARN built around a CDK token must still start with arn:/,
    ],
    [
      'a literal url next to the token support',
      ['services', 'users', 'url'],
      'users.example.com',
      'services.users.url',
      /url must be an absolute http:\/\/ or https:\/\/ URL/,
    ],
    [
      'a literal subnet id',
      ['services', 'users', 'proxy'],
      { vpc: VPC('abc', 'sg-1') },
      'services.users.proxy.vpc.subnetIds[0]',
      /a subnet id looks like subnet-0123456789abcdef0/,
    ],
  ] as const)('WHEN %s THEN the literal part is still checked', (_given, path, value, where, message) => {
    expectOnlyIssue(() => validateConfig(specWith([path, value])), where, message);
  });
});

describe('GIVEN a config file', () => {
  it('WHEN it holds a ${Token[...]} text THEN it is refused at its line: only TypeScript specs carry tokens', () => {
    const yaml =
      'services:\n  users:\n    url: "${Token[TOKEN.99]}"\ngateways:\n  public:\n    routes: [{ service: users, paths: [/u] }]\n';
    const issue = expectOnlyIssue(
      () => parseConfig(yaml, 'g.yaml'),
      'services.users.url',
      /a CDK token \(\$\{Token\[\.\.\.\]\}\) only means something in a spec written in TypeScript; in a config file write the literal URL, ARN or id/,
    );
    expect(issue).toMatchObject({ file: 'g.yaml', line: 3 });
  });
});
