// API keys and usage plans counted locally: unknown keys refused, plan and method throttles, quotas per period.
import { describe, expect, it } from 'vitest';
import { UsagePlans } from '../../lib/local/api-keys';
import { TokenBucket } from '../../lib/local/token-bucket';

describe('TokenBucket', () => {
  it('GIVEN burst 2 at 1/s THEN two requests pass, the third is throttled, and one more passes a second later', () => {
    let now = 0;
    const bucket = new TokenBucket(1, 2, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
    now = 1000;
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
  });
});

describe('UsagePlans', () => {
  const plan = {
    name: 'std',
    throttle: { rateLimit: 100, burstLimit: 3 },
    quota: { limit: 4, period: 'DAY' as const },
    methodThrottles: { '/orders/POST': { rateLimit: 1, burstLimit: 1 } },
    keys: ['acme'],
  };

  it('GIVEN a plan with a consumer THEN one 40-character key is generated for it', () => {
    const plans = new UsagePlans([plan]);
    expect(plans.keys).toHaveLength(1);
    expect(plans.keys[0]).toMatchObject({ name: 'acme', plans: ['std'] });
    expect(plans.keys[0]!.value).toHaveLength(40);
  });

  it('GIVEN no key or an unknown key THEN INVALID_API_KEY', () => {
    const plans = new UsagePlans([plan]);
    expect(plans.check(undefined, '/orders', 'GET')).toEqual({ ok: false, type: 'INVALID_API_KEY' });
    expect(plans.check('nope', '/orders', 'GET')).toEqual({ ok: false, type: 'INVALID_API_KEY' });
  });

  it('GIVEN a method throttle of burst 1 THEN the second POST is THROTTLED while GETs still pass', () => {
    const now = 0;
    const plans = new UsagePlans([plan], () => now);
    const key = plans.keys[0]!.value;
    expect(plans.check(key, '/orders', 'POST').ok).toBe(true);
    expect(plans.check(key, '/orders', 'POST')).toEqual({ ok: false, type: 'THROTTLED' });
    expect(plans.check(key, '/orders', 'GET').ok).toBe(true);
  });

  it('GIVEN a quota of 4 a day THEN the fifth request that day is QUOTA_EXCEEDED and the next day passes', () => {
    let now = Date.UTC(2026, 0, 1, 12);
    const plans = new UsagePlans([{ ...plan, throttle: undefined }], () => now);
    const key = plans.keys[0]!.value;
    for (let i = 0; i < 4; i += 1) expect(plans.check(key, '/orders', 'GET').ok).toBe(true);
    expect(plans.check(key, '/orders', 'GET')).toEqual({ ok: false, type: 'QUOTA_EXCEEDED' });
    now = Date.UTC(2026, 0, 2, 0, 0, 1);
    expect(plans.check(key, '/orders', 'GET').ok).toBe(true);
  });

  it('GIVEN a plan throttle of burst 3 THEN the fourth request at once is THROTTLED', () => {
    const plans = new UsagePlans([{ ...plan, quota: undefined }], () => 0);
    const key = plans.keys[0]!.value;
    const results = Array.from({ length: 4 }, () => plans.check(key, '/orders', 'GET').ok);
    expect(results).toEqual([true, true, true, false]);
  });
});
