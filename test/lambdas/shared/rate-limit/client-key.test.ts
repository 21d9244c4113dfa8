// Counter keys from proxy events: who is counted, the fall back to the source IP, and keys hostile values cannot break.
import { describe, expect, it } from 'vitest';
import { checkClientKey, clientKeyOf, MAX_CLIENT_KEY_LENGTH } from '../../../../lambdas/shared/rate-limit/client-key';
import type { RateLimitBy } from '../../../../lambdas/contract/rate-limit-config';
import { proxyEvent } from './support/events';

const CONSUMER: RateLimitBy = { kind: 'consumer' };
const TENANT: RateLimitBy = { kind: 'header', header: 'x-tenant' };
const SAFE_KEY = /^[a-z]+:[0-9a-f]{32}$/;

describe('GIVEN rate limits by consumer', () => {
  it('WHEN the authorizer gave a sub THEN the key is the hashed sub', () => {
    const key = clientKeyOf(proxyEvent({ authorizer: { sub: 'user-1', clientId: 'app-1' } }), CONSUMER);
    expect(key).toMatch(/^sub:[0-9a-f]{32}$/);
    expect(key).toBe(clientKeyOf(proxyEvent({ sourceIp: '198.51.100.1', authorizer: { sub: 'user-1' } }), CONSUMER));
  });

  it('WHEN a Cognito authorizer gave claims THEN their sub is used', () => {
    expect(clientKeyOf(proxyEvent({ authorizer: { claims: { sub: 'user-1' } } }), CONSUMER)).toBe(
      clientKeyOf(proxyEvent({ authorizer: { sub: 'user-1' } }), CONSUMER),
    );
  });

  it('WHEN there is only a client id (machine to machine) THEN the key is the hashed client id', () => {
    expect(clientKeyOf(proxyEvent({ authorizer: { clientId: 'app-1' } }), CONSUMER)).toMatch(/^client:/);
  });

  it('WHEN the request is anonymous THEN it counts against its source IP, like Kong', () => {
    const anonymous = clientKeyOf(proxyEvent({ sourceIp: '198.51.100.1' }), CONSUMER);
    expect(anonymous).toBe(clientKeyOf(proxyEvent({ sourceIp: '198.51.100.1' }), { kind: 'ip' }));
    expect(anonymous).not.toBe(clientKeyOf(proxyEvent({ sourceIp: '198.51.100.2' }), CONSUMER));
    expect(clientKeyOf(proxyEvent({ sourceIp: '198.51.100.1', authorizer: { sub: '' } }), CONSUMER)).toBe(anonymous);
  });
});

describe('GIVEN rate limits by API key or IP', () => {
  it('WHEN the request carries an API key THEN the key is its hashed id, falling back to the IP without one', () => {
    expect(clientKeyOf(proxyEvent({ apiKeyId: 'k1abc' }), { kind: 'apiKey' })).toMatch(/^key:/);
    expect(clientKeyOf(proxyEvent({ sourceIp: '198.51.100.9' }), { kind: 'apiKey' })).toBe(
      clientKeyOf(proxyEvent({ sourceIp: '198.51.100.9' }), { kind: 'ip' }),
    );
  });

  it('WHEN by ip THEN a signed-in consumer still counts against the IP', () => {
    expect(clientKeyOf(proxyEvent({ sourceIp: '198.51.100.9', authorizer: { sub: 'u' } }), { kind: 'ip' })).toMatch(/^ip:/);
  });

  it('WHEN the event has no source IP (a console test) THEN it still gets a key', () => {
    const event = proxyEvent();
    (event.requestContext.identity as { sourceIp?: string }).sourceIp = undefined;
    expect(clientKeyOf(event, { kind: 'ip' })).toMatch(SAFE_KEY);
  });
});

describe('GIVEN a gateway behind CloudFront (clientIpHeader set)', () => {
  const VIEWER = 'X-Gatehouse-Viewer-IP';
  const edgeServer = '130.176.1.1';

  it('WHEN two viewers come through the same CloudFront server THEN they count separately, by the header CloudFront set', () => {
    const a = clientKeyOf(
      proxyEvent({ sourceIp: edgeServer, headers: { 'x-gatehouse-viewer-ip': '198.51.100.1' } }),
      { kind: 'ip' },
      VIEWER,
    );
    const b = clientKeyOf(
      proxyEvent({ sourceIp: edgeServer, headers: { 'x-gatehouse-viewer-ip': '198.51.100.2' } }),
      { kind: 'ip' },
      VIEWER,
    );
    expect(a).not.toBe(b);
    expect(a).toBe(clientKeyOf(proxyEvent({ sourceIp: '198.51.100.1' }), { kind: 'ip' }));
  });

  it('WHEN an anonymous request falls back to the IP THEN it is the viewer IP too', () => {
    const key = clientKeyOf(proxyEvent({ sourceIp: edgeServer, headers: { 'X-Gatehouse-Viewer-IP': '2001:db8::7' } }), CONSUMER, VIEWER);
    expect(key).toBe(clientKeyOf(proxyEvent({ sourceIp: '2001:db8::7' }), { kind: 'ip' }));
  });

  it('WHEN the header is missing (a console test invoke) THEN the source IP is counted', () => {
    expect(clientKeyOf(proxyEvent({ sourceIp: edgeServer }), { kind: 'ip' }, VIEWER)).toBe(
      clientKeyOf(proxyEvent({ sourceIp: edgeServer }), { kind: 'ip' }),
    );
  });

  it('WHEN no clientIpHeader is configured THEN a client-sent header of that name is ignored', () => {
    const sent = clientKeyOf(proxyEvent({ sourceIp: '198.51.100.9', headers: { 'x-gatehouse-viewer-ip': '10.0.0.1' } }), { kind: 'ip' });
    expect(sent).toBe(clientKeyOf(proxyEvent({ sourceIp: '198.51.100.9' }), { kind: 'ip' }));
  });
});

describe('GIVEN rate limits by a header', () => {
  it('WHEN the header is sent in any case THEN it is found, in headers or multiValueHeaders', () => {
    const key = clientKeyOf(proxyEvent({ headers: { 'X-TENANT': 'acme' } }), TENANT);
    expect(key).toMatch(/^hdr:/);
    expect(clientKeyOf(proxyEvent({ multiValueHeaders: { 'x-Tenant': ['acme'] } }), TENANT)).toBe(key);
  });

  it('WHEN the header is repeated THEN the values are joined as HTTP combines them', () => {
    expect(clientKeyOf(proxyEvent({ multiValueHeaders: { 'x-tenant': ['a', 'b'] } }), TENANT)).toBe(
      clientKeyOf(proxyEvent({ headers: { 'x-tenant': 'a, b' } }), TENANT),
    );
  });

  it('WHEN the header is absent or empty THEN the request counts against its IP', () => {
    const ipKey = clientKeyOf(proxyEvent({ sourceIp: '198.51.100.3' }), { kind: 'ip' });
    expect(clientKeyOf(proxyEvent({ sourceIp: '198.51.100.3' }), TENANT)).toBe(ipKey);
    expect(clientKeyOf(proxyEvent({ sourceIp: '198.51.100.3', headers: { 'x-tenant': '' } }), TENANT)).toBe(ipKey);
  });

  it.each([
    ['very long', 'a'.repeat(100_000)],
    ['CRLF', 'acme\r\nX-Injected: 1'],
    ['the key separator', 'acme#60#1700000000'],
    ['Unicode', 'ακμή-🚀-\u0000-\u202e'],
  ])('WHEN the value is hostile (%s) THEN the key stays short and free of separators', (_case, value) => {
    const key = clientKeyOf(proxyEvent({ headers: { 'x-tenant': value } }), TENANT);
    expect(key).toMatch(SAFE_KEY);
    expect(checkClientKey(key)).toBe(key);
  });

  it("WHEN a header value equals another client's IP or sub THEN the keys still differ", () => {
    const ip = '198.51.100.4';
    const byHeader = clientKeyOf(proxyEvent({ sourceIp: '192.0.2.1', headers: { 'x-tenant': ip } }), TENANT);
    const byIp = clientKeyOf(proxyEvent({ sourceIp: ip }), { kind: 'ip' });
    const bySub = clientKeyOf(proxyEvent({ authorizer: { sub: ip } }), CONSUMER);
    const byClient = clientKeyOf(proxyEvent({ authorizer: { clientId: ip } }), CONSUMER);
    const byApiKey = clientKeyOf(proxyEvent({ apiKeyId: ip }), { kind: 'apiKey' });
    expect(new Set([byHeader, byIp, bySub, byClient, byApiKey]).size).toBe(5);
    // Same hash, different kind: the prefix alone keeps them apart.
    expect(byHeader.split(':')[1]).toBe(byIp.split(':')[1]);
  });
});

describe('GIVEN a client key built by the caller', () => {
  it.each([
    ['empty', ''],
    ['with the separator', 'tenant#1'],
    ['with a line break', 'tenant\n1'],
    ['too long', 'k'.repeat(MAX_CLIENT_KEY_LENGTH + 1)],
  ])('WHEN it is %s THEN a TypeError refuses it', (_case, key) => {
    expect(() => checkClientKey(key)).toThrow(TypeError);
  });
});
