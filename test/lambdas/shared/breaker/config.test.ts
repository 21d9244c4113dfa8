// Circuit breaker settings: defaults from the issue, and one TypeError per misuse naming the field and the bad value.
import { describe, expect, it } from 'vitest';
import {
  CIRCUIT_BREAKER_LIMITS,
  DEFAULT_CIRCUIT_BREAKER,
  resolveCircuitBreakerConfig,
  type CircuitBreakerInput,
} from '../../../../lambdas/contract/circuit-breaker-config';

describe('GIVEN no settings', () => {
  it('WHEN resolved THEN the issue example applies with a single half-open probe', () => {
    expect(resolveCircuitBreakerConfig()).toEqual({
      failureRate: 50,
      minimumRequests: 20,
      windowSeconds: 30,
      openSeconds: 30,
      halfOpenProbes: 1,
    });
    expect(resolveCircuitBreakerConfig({})).toEqual(DEFAULT_CIRCUIT_BREAKER);
  });
});

describe('GIVEN some settings', () => {
  it('WHEN resolved THEN the given ones win, the others take defaults, and the result is frozen', () => {
    const config = resolveCircuitBreakerConfig({ failureRate: 25, halfOpenProbes: 3 });
    expect(config).toEqual({ ...DEFAULT_CIRCUIT_BREAKER, failureRate: 25, halfOpenProbes: 3 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('WHEN every field sits on its limits THEN they are accepted', () => {
    const lows = Object.fromEntries(Object.entries(CIRCUIT_BREAKER_LIMITS).map(([field, { min }]) => [field, min]));
    const highs = Object.fromEntries(Object.entries(CIRCUIT_BREAKER_LIMITS).map(([field, { max }]) => [field, max]));
    expect(resolveCircuitBreakerConfig(lows)).toEqual(lows);
    expect(resolveCircuitBreakerConfig(highs)).toEqual(highs);
  });
});

describe('GIVEN settings that are not an object', () => {
  it.each([
    ['null', null, 'got null'],
    ['an array', [50], 'got an array'],
    ['a string', '50', 'got "50"'],
  ])('WHEN they are %s THEN a TypeError names circuitBreaker', (_label, input, got) => {
    expect(() => resolveCircuitBreakerConfig(input as unknown as CircuitBreakerInput)).toThrow(TypeError);
    expect(() => resolveCircuitBreakerConfig(input as unknown as CircuitBreakerInput)).toThrow(`circuitBreaker must be an object, ${got}`);
  });
});

describe('GIVEN a misspelt setting', () => {
  it('WHEN resolved THEN a TypeError names it and lists the real ones', () => {
    expect(() => resolveCircuitBreakerConfig({ failureRatio: 50 } as unknown as CircuitBreakerInput)).toThrow(
      /^circuitBreaker\.failureRatio is not a circuit breaker setting \(expected one of failureRate, minimumRequests, windowSeconds, openSeconds, halfOpenProbes\)$/,
    );
  });
});

type Field = keyof typeof CIRCUIT_BREAKER_LIMITS;
const FIELDS = Object.keys(CIRCUIT_BREAKER_LIMITS) as Field[];
const INTEGER_FIELDS: Field[] = ['minimumRequests', 'halfOpenProbes'];

describe.each(FIELDS)('GIVEN circuitBreaker.%s', (field) => {
  const { min, max } = CIRCUIT_BREAKER_LIMITS[field];
  const kind = INTEGER_FIELDS.includes(field) ? 'an integer' : 'a number';
  const expectRejected = (value: unknown, got: string) => {
    const input = { [field]: value } as CircuitBreakerInput;
    expect(() => resolveCircuitBreakerConfig(input)).toThrow(TypeError);
    expect(() => resolveCircuitBreakerConfig(input)).toThrow(`circuitBreaker.${field} must be ${kind} from ${min} to ${max}, got ${got}`);
  };

  it('WHEN it is a string THEN the TypeError names the field and shows the string', () => expectRejected('20', '"20"'));
  it('WHEN it is not finite THEN the TypeError names the field', () => {
    expectRejected(Number.NaN, 'NaN');
    expectRejected(Number.POSITIVE_INFINITY, 'Infinity');
  });
  it('WHEN it is null THEN the TypeError names the field', () => expectRejected(null, 'null'));
  it('WHEN it is below its minimum THEN the TypeError names the field', () => expectRejected(min / 2 - 1, String(min / 2 - 1)));
  it('WHEN it is above its maximum THEN the TypeError names the field', () => expectRejected(max + 1, String(max + 1)));
  if (INTEGER_FIELDS.includes(field)) {
    it('WHEN it has a fraction THEN the TypeError names the field and says why', () =>
      expectRejected(min + 0.5, `${min + 0.5} (not an integer)`));
  } else {
    it('WHEN it has a fraction within its limits THEN it is kept', () => {
      expect(resolveCircuitBreakerConfig({ [field]: min + 0.5 })[field]).toBe(min + 0.5);
    });
  }
});
