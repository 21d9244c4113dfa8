// Validation of a route's `rateLimit` block: defaults, and one TypeError per mistake naming the field.
import { describe, expect, it } from 'vitest';
import {
  MAX_RATE_LIMIT,
  MAX_SCOPE_LENGTH,
  RATE_LIMIT_TABLE,
  RATE_LIMIT_TABLE_ENV,
  resolveRateLimitConfig,
  type RateLimitInput,
} from '../../../../lambdas/contract/rate-limit-config';

const SCOPE = 'orders-api#GET /orders';

describe('GIVEN a valid rateLimit block', () => {
  it('WHEN only limits are set THEN it limits by consumer, fails open and shows headers', () => {
    expect(resolveRateLimitConfig({ minute: 100, hour: 5000 }, SCOPE)).toEqual({
      windows: [
        { seconds: 60, limit: 100 },
        { seconds: 3600, limit: 5000 },
      ],
      by: { kind: 'consumer' },
      failOpen: true,
      hideHeaders: false,
      scope: SCOPE,
    });
  });

  it('WHEN every window is set THEN they come shortest first', () => {
    const config = resolveRateLimitConfig({ day: 4, hour: 3, minute: 2, second: 1 }, SCOPE);
    expect(config.windows.map((window) => window.seconds)).toEqual([1, 60, 3600, 86400]);
  });

  it.each([
    ['consumer', { kind: 'consumer' }],
    ['ip', { kind: 'ip' }],
    ['apiKey', { kind: 'apiKey' }],
    ['header:X-Tenant', { kind: 'header', header: 'x-tenant' }],
  ])('WHEN by is %s THEN it is parsed (header names lower-cased)', (by, expected) => {
    expect(resolveRateLimitConfig({ minute: 1, by }, SCOPE).by).toEqual(expected);
  });

  it('WHEN failOpen and hideHeaders are given THEN they are kept', () => {
    expect(resolveRateLimitConfig({ minute: 1, failOpen: false, hideHeaders: true }, SCOPE)).toMatchObject({
      failOpen: false,
      hideHeaders: true,
    });
  });

  it('WHEN the construct needs the table layout THEN config exports it with the env var name', () => {
    expect(RATE_LIMIT_TABLE_ENV).toBe('GATEHOUSE_RATE_LIMIT_TABLE');
    expect(RATE_LIMIT_TABLE).toMatchObject({
      partitionKey: 'pk',
      ttlAttribute: 'expiresAt',
      iamActions: ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
    });
  });
});

describe('GIVEN a rateLimit block that cannot work', () => {
  it.each<[string, unknown, RegExp]>([
    ['not an object', 'fast', /rateLimit must be an object, got "fast"/],
    ['null', null, /rateLimit must be an object, got null/],
    ['an array', [100], /rateLimit must be an object, got \[100\]/],
    ['an unknown field', { minute: 1, perMinute: 5 }, /rateLimit.perMinute is not a rate-limit setting/],
    ['no window', { by: 'ip' }, /rateLimit must set at least one of second, minute, hour, day/],
    ['a zero limit', { minute: 0 }, /rateLimit.minute must be an integer from 1 to 1000000000, got 0/],
    ['a fractional limit', { hour: 2.5 }, /rateLimit.hour must be an integer from 1 to 1000000000, got 2.5/],
    ['a limit as text', { second: '10' }, /rateLimit.second must be an integer from 1 to 1000000000, got "10"/],
    ['a huge limit', { day: MAX_RATE_LIMIT + 1 }, /rateLimit.day must be an integer/],
    ['an unknown by', { minute: 1, by: 'user' }, /rateLimit.by must be consumer, ip, apiKey or header:<Name>, got "user"/],
    ['by not text', { minute: 1, by: 3 }, /rateLimit.by must be consumer, ip, apiKey or header:<Name>, got 3/],
    ['an empty header', { minute: 1, by: 'header:' }, /rateLimit.by must name a valid HTTP header after "header:"/],
    ['a header with a space', { minute: 1, by: 'header:X Tenant' }, /rateLimit.by must name a valid HTTP header/],
    ['a header too long', { minute: 1, by: `header:${'x'.repeat(129)}` }, /rateLimit.by must name a valid HTTP header/],
    ['failOpen as text', { minute: 1, failOpen: 'yes' }, /rateLimit.failOpen must be true or false, got "yes"/],
    ['hideHeaders as a number', { minute: 1, hideHeaders: 1 }, /rateLimit.hideHeaders must be true or false, got 1/],
  ])('WHEN it has %s THEN a TypeError names the field', (_case, input, message) => {
    expect(() => resolveRateLimitConfig(input as RateLimitInput, SCOPE)).toThrow(TypeError);
    expect(() => resolveRateLimitConfig(input as RateLimitInput, SCOPE)).toThrow(message);
  });

  it.each<[string, unknown]>([
    ['empty', ''],
    ['too long', 's'.repeat(MAX_SCOPE_LENGTH + 1)],
    ['with a line break', 'api#GET /a\r\nx'],
    ['not text', 42],
  ])('WHEN the scope is %s THEN a TypeError names the scope', (_case, scope) => {
    expect(() => resolveRateLimitConfig({ minute: 1 }, scope as string)).toThrow(
      /rate limit scope must be 1 to 512 characters without control characters/,
    );
  });
});
