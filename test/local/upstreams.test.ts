// Upstream overrides: baked service URLs rewritten in integration URIs and bundle text, longest URL first; bad flags refused.
import { describe, expect, it } from 'vitest';
import { parseUpstreamFlags, upstreamOverrides } from '../../lib/local/upstreams';
import type { GatehouseSpec } from '../../lib/config/schema';

const spec = {
  services: {
    users: { url: 'https://users.internal' },
    orders: {
      targets: [
        { name: 'v1', url: 'https://orders.internal/v1' },
        { name: 'v2', url: 'https://orders.internal/v1-beta' },
      ],
    },
  },
} as unknown as GatehouseSpec;

describe('upstream overrides', () => {
  it('GIVEN SERVICE=URL flags THEN they parse, a trailing slash dropped; a flag without = or URL is a TypeError with an example', () => {
    expect(parseUpstreamFlags(['users=http://127.0.0.1:3001/'])).toEqual({ users: 'http://127.0.0.1:3001' });
    expect(() => parseUpstreamFlags(['users'])).toThrow(/e\.g\. user-service=http:\/\/127\.0\.0\.1:3001/);
    expect(() => parseUpstreamFlags(['users=localhost:3001'])).toThrow(TypeError);
  });

  it('GIVEN an override of a service THEN its URL is replaced in URIs and bundle text, keeping the path after it, and other hosts stay', () => {
    const o = upstreamOverrides(spec, { users: 'http://127.0.0.1:3001' });
    expect(o.rewriteUrl('https://users.internal/api/users/{proxy}')).toBe('http://127.0.0.1:3001/api/users/{proxy}');
    expect(o.rewriteUrl('https://users.internal.example.com/x')).toBe('https://users.internal.example.com/x');
    expect(o.rewriteBundle('const c={url:"https://users.internal"};')).toBe('const c={url:"http://127.0.0.1:3001"};');
  });

  it('GIVEN a target override and a service fallback THEN the target gets its own URL and the longer baked URL is matched first', () => {
    const o = upstreamOverrides(spec, { 'orders.v2': 'http://127.0.0.1:4002', orders: 'http://127.0.0.1:4001' });
    expect(o.rewriteBundle('["https://orders.internal/v1","https://orders.internal/v1-beta"]')).toBe(
      '["http://127.0.0.1:4001","http://127.0.0.1:4002"]',
    );
  });

  it('GIVEN an echo fallback THEN every service without an override goes there; unknown names are reported', () => {
    const o = upstreamOverrides(spec, { users: 'http://127.0.0.1:3001', nope: 'http://127.0.0.1:1' }, 'http://127.0.0.1:9999');
    expect(o.applied.map((a) => `${a.service}->${a.to}`).sort()).toEqual([
      'orders.v1->http://127.0.0.1:9999',
      'orders.v2->http://127.0.0.1:9999',
      'users->http://127.0.0.1:3001',
    ]);
    expect(o.unknown).toEqual(['nope']);
  });
});
