// The observability section: every default and every validation branch of observability-schema.ts.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../lib/config/load';
import { expectOnlyIssue, specWith } from './fixtures';

const at = ['gateways', 'public', 'observability'] as const;

describe('observability defaults', () => {
  const o = validateConfig(specWith()).gateways.public!.observability;

  it("GIVEN no observability section WHEN validated THEN a dashboard and alarms are on, to the stack's topic", () => {
    expect(o.dashboard).toBe(true);
    expect(o.alarms.enabled).toBe(true);
    expect(o.alarmTopicArn).toBeUndefined();
    expect(o.savedQueries).toBe(true);
  });

  it("GIVEN no thresholds WHEN validated THEN they are the article's: 5xx > 1 %, p99 > 500 ms, 10 429s a minute, 3 standard deviations", () => {
    expect(o.alarms).toMatchObject({
      enabled: true,
      serverErrorRatePercent: 1,
      p99LatencyMs: 500,
      throttledPerMinute: 10,
      requestRateBand: 3,
    });
  });

  it('GIVEN no thresholds WHEN validated THEN the resilience, auth, edge and function alarms fire on any breaker open, internal error or JWKS failure', () => {
    expect(o.alarms).toEqual({
      enabled: true,
      serverErrorRatePercent: 1,
      p99LatencyMs: 500,
      throttledPerMinute: 10,
      requestRateBand: 3,
      breakerOpens: 1,
      circuitOpenRejectedPerMinute: 1,
      degradedPerMinute: 10,
      retriesPerMinute: 50,
      retryBudgetExhaustedPerMinute: 1,
      rateLimitDeniedPerMinute: 10,
      rateLimitStoreUnavailablePerMinute: 1,
      jwksFailuresPerMinute: 1,
      wafBlockedPerMinute: 100,
      cloudFront5xxRatePercent: 1,
      lambdaThrottlesPerMinute: 1,
      concurrencyPercent: 80,
    });
  });
});

describe('observability validation', () => {
  it.each([
    [
      'a 5xx rate above 100',
      { alarms: { serverErrorRatePercent: 150 } },
      'alarms.serverErrorRatePercent',
      /a rate is at most 100 \(percent\)/,
    ],
    ['a zero 5xx rate', { alarms: { serverErrorRatePercent: 0 } }, 'alarms.serverErrorRatePercent', />0/],
    ['a fractional p99', { alarms: { p99LatencyMs: 2.5 } }, 'alarms.p99LatencyMs', /int/],
    ['a zero 429 threshold', { alarms: { throttledPerMinute: 0 } }, 'alarms.throttledPerMinute', />0/],
    ['a band wider than 10', { alarms: { requestRateBand: 11 } }, 'alarms.requestRateBand', /never fire/],
    ['zero breaker opens', { alarms: { breakerOpens: 0 } }, 'alarms.breakerOpens', />0/],
    ['a fractional retry count', { alarms: { retriesPerMinute: 2.5 } }, 'alarms.retriesPerMinute', /int/],
    ['a negative degraded count', { alarms: { degradedPerMinute: -1 } }, 'alarms.degradedPerMinute', />0/],
    [
      'a CloudFront 5xx rate above 100',
      { alarms: { cloudFront5xxRatePercent: 101 } },
      'alarms.cloudFront5xxRatePercent',
      /a rate is at most 100 \(percent\)/,
    ],
    [
      'a concurrency share above 100',
      { alarms: { concurrencyPercent: 120 } },
      'alarms.concurrencyPercent',
      /a share is at most 100 \(percent\)/,
    ],
    ['saved queries given as text', { savedQueries: 'yes' }, 'savedQueries', /boolean/],
    ['a JWKS threshold of zero', { alarms: { jwksFailuresPerMinute: 0 } }, 'alarms.jwksFailuresPerMinute', />0/],
    ['a fractional throttle count', { alarms: { lambdaThrottlesPerMinute: 0.5 } }, 'alarms.lambdaThrottlesPerMinute', /int/],
    ['a WAF threshold given as text', { alarms: { wafBlockedPerMinute: 'many' } }, 'alarms.wafBlockedPerMinute', /number/],
    ['a topic that is not an SNS ARN', { alarmTopicArn: 'ops-alerts' }, 'alarmTopicArn', /an SNS topic ARN looks like arn:aws:sns:/],
    ['an unknown field', { dashboards: true }, 'dashboards', /unknown field "dashboards" \(did you mean "dashboard"\?\)/],
  ])('GIVEN %s WHEN validated THEN the field is named with its fix', (_given, observability, where, message) => {
    expectOnlyIssue(() => validateConfig(specWith([[...at], observability])), `gateways.public.observability.${where}`, message);
  });
});

describe('account.keyExpiry', () => {
  it('GIVEN no keyExpiry WHEN validated THEN the daily check is on with a 14-day warning', () => {
    expect(validateConfig(specWith()).account.keyExpiry).toEqual({ enabled: true, warningDays: 14 });
  });

  it.each([
    ['a zero warning', 0, />=1/],
    ['a warning over a year', 400, /<=365/],
  ])('GIVEN %s WHEN validated THEN warningDays is named', (_given, warningDays, message) => {
    expectOnlyIssue(() => validateConfig(specWith([['account', 'keyExpiry'], { warningDays }])), 'account.keyExpiry.warningDays', message);
  });
});
