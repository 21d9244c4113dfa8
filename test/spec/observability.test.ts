// The observability section: every default and every validation branch of observability-schema.ts.
import { describe, expect, it } from 'vitest';
import { validateSpec } from '../../lib/spec/load';
import { expectOnlyIssue, specWith } from './fixtures';

const at = ['gateways', 'public', 'observability'] as const;

describe('observability defaults', () => {
  const o = validateSpec(specWith()).gateways.public!.observability;

  it('GIVEN no observability section WHEN validated THEN a dashboard and alarms are on, to the stack\'s topic', () => {
    expect(o.dashboard).toBe(true);
    expect(o.alarms.enabled).toBe(true);
    expect(o.alarmTopicArn).toBeUndefined();
  });

  it('GIVEN no thresholds WHEN validated THEN they are the article\'s: 5xx > 1 %, p99 > 500 ms, 10 429s a minute, 3 standard deviations', () => {
    expect(o.alarms).toEqual({ enabled: true, serverErrorRatePercent: 1, p99LatencyMs: 500, throttledPerMinute: 10, requestRateBand: 3 });
  });
});

describe('observability validation', () => {
  it.each([
    ['a 5xx rate above 100', { alarms: { serverErrorRatePercent: 150 } }, 'alarms.serverErrorRatePercent', /a rate is at most 100 \(percent\)/],
    ['a zero 5xx rate', { alarms: { serverErrorRatePercent: 0 } }, 'alarms.serverErrorRatePercent', />0/],
    ['a fractional p99', { alarms: { p99LatencyMs: 2.5 } }, 'alarms.p99LatencyMs', /int/],
    ['a zero 429 threshold', { alarms: { throttledPerMinute: 0 } }, 'alarms.throttledPerMinute', />0/],
    ['a band wider than 10', { alarms: { requestRateBand: 11 } }, 'alarms.requestRateBand', /never fire/],
    ['a topic that is not an SNS ARN', { alarmTopicArn: 'ops-alerts' }, 'alarmTopicArn', /an SNS topic ARN looks like arn:aws:sns:/],
    ['an unknown field', { dashboards: true }, 'dashboards', /unknown field "dashboards" \(did you mean "dashboard"\?\)/],
  ])('GIVEN %s WHEN validated THEN the field is named with its fix', (_given, observability, where, message) => {
    expectOnlyIssue(() => validateSpec(specWith([[...at], observability])), `gateways.public.observability.${where}`, message);
  });
});

describe('account.keyExpiry', () => {
  it('GIVEN no keyExpiry WHEN validated THEN the daily check is on with a 14-day warning', () => {
    expect(validateSpec(specWith()).account.keyExpiry).toEqual({ enabled: true, warningDays: 14 });
  });

  it.each([
    ['a zero warning', 0, />=1/],
    ['a warning over a year', 400, /<=365/],
  ])('GIVEN %s WHEN validated THEN warningDays is named', (_given, warningDays, message) => {
    expectOnlyIssue(() => validateSpec(specWith([['account', 'keyExpiry'], { warningDays }])), 'account.keyExpiry.warningDays', message);
  });
});
