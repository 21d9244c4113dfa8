// IAM evaluation for authorizer policies and resource policies: explicit Deny wins, no Allow is an implicit deny, aws:SourceIp.
import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../lib/local/policy';

const ARN = 'arn:aws:execute-api:us-east-1:000000000000:api/prod/GET/users/1';
const stmt = (Effect: string, Resource: string | string[], extra: object = {}) => ({
  Effect,
  Action: 'execute-api:Invoke',
  Resource,
  ...extra,
});

describe('evaluatePolicy', () => {
  it('GIVEN an Allow whose wildcard covers the method ARN THEN allow; one that does not THEN implicit deny', () => {
    expect(
      evaluatePolicy(
        { Statement: [stmt('Allow', 'arn:aws:execute-api:*:*:api/prod/GET/users/*')] },
        { action: 'execute-api:Invoke', resource: ARN },
      ),
    ).toBe('allow');
    expect(
      evaluatePolicy(
        { Statement: [stmt('Allow', 'arn:aws:execute-api:*:*:api/prod/POST/users/*')] },
        { action: 'execute-api:Invoke', resource: ARN },
      ),
    ).toBe('implicit-deny');
    expect(evaluatePolicy({}, { action: 'execute-api:Invoke', resource: ARN })).toBe('implicit-deny');
  });

  it('GIVEN an Allow of everything and a Deny of this method THEN the Deny wins', () => {
    const policy = { Statement: [stmt('Allow', '*'), stmt('Deny', [ARN])] };
    expect(evaluatePolicy(policy, { action: 'execute-api:Invoke', resource: ARN })).toBe('deny');
  });

  it('GIVEN a single statement object (not a list) THEN it is evaluated', () => {
    expect(evaluatePolicy({ Statement: stmt('Allow', ARN) }, { action: 'execute-api:Invoke', resource: ARN })).toBe('allow');
  });

  it('GIVEN a resource policy denying outside a CIDR THEN a caller inside is allowed and one outside is denied', () => {
    const policy = {
      Statement: [
        stmt('Allow', '*', { Principal: '*' }),
        stmt('Deny', '*', { Principal: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '127.0.0.1'] } } }),
      ],
    };
    expect(evaluatePolicy(policy, { action: 'execute-api:Invoke', resource: ARN, sourceIp: '127.0.0.1' })).toBe('allow');
    expect(evaluatePolicy(policy, { action: 'execute-api:Invoke', resource: ARN, sourceIp: '10.2.3.4' })).toBe('allow');
    expect(evaluatePolicy(policy, { action: 'execute-api:Invoke', resource: ARN, sourceIp: '192.168.1.1' })).toBe('deny');
  });

  it('GIVEN an Allow only for an IP range THEN a caller outside it gets an implicit deny', () => {
    const policy = { Statement: [stmt('Allow', '*', { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })] };
    expect(evaluatePolicy(policy, { action: 'execute-api:Invoke', resource: ARN, sourceIp: '203.0.113.9' })).toBe('allow');
    expect(evaluatePolicy(policy, { action: 'execute-api:Invoke', resource: ARN, sourceIp: '127.0.0.1' })).toBe('implicit-deny');
  });
});
