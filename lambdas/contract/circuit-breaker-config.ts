// The circuit breaker's settings: defaults from the spec's `circuitBreaker` block, validated once at init.

/** Settings of one breaker (per upstream target), as the planner bakes them and the proxy reads them. */
export interface CircuitBreakerConfig {
  /** Opens when failures reach this share of the window's requests, in percent (50 means 50 % or more). */
  readonly failureRate: number;
  /** Requests the window must hold before the rate can open the circuit. */
  readonly minimumRequests: number;
  /** Length of the rolling window the rate is computed over, in seconds, split into `WINDOW_BUCKETS` buckets. */
  readonly windowSeconds: number;
  /** How long an open circuit fails fast before it admits probes, in seconds. */
  readonly openSeconds: number;
  /** Probes a half-open circuit admits at once (per instance); that many successes close it, one failure reopens it. */
  readonly halfOpenProbes: number;
}

/** What a caller may pass: any field left out takes its value from `DEFAULT_CIRCUIT_BREAKER`. */
export type CircuitBreakerInput = Partial<CircuitBreakerConfig>;

/** The example values, and a single probe so a still-broken upstream sees as little traffic as possible. */
export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerConfig = Object.freeze({
  failureRate: 50,
  minimumRequests: 20,
  windowSeconds: 30,
  openSeconds: 30,
  halfOpenProbes: 1,
});

/** Buckets of the rolling window: the window slides one tenth of `windowSeconds` at a time. */
export const WINDOW_BUCKETS = 10;

/** Limits of each field; beyond them a value is a typo, not a setting. */
export const CIRCUIT_BREAKER_LIMITS = Object.freeze({
  failureRate: { min: 1, max: 100 },
  minimumRequests: { min: 1, max: 1_000_000 },
  windowSeconds: { min: 1, max: 3600 },
  openSeconds: { min: 0.001, max: 3600 },
  halfOpenProbes: { min: 1, max: 100 },
});

const INTEGER_FIELDS: ReadonlySet<keyof CircuitBreakerConfig> = new Set(['minimumRequests', 'halfOpenProbes']);
const FIELDS = Object.keys(DEFAULT_CIRCUIT_BREAKER) as (keyof CircuitBreakerConfig)[];

/**
 * Applies defaults and checks every field. Misuse throws a `TypeError` whose message names the field
 * (`circuitBreaker.failureRate`) and shows the bad value.
 */
export function resolveCircuitBreakerConfig(input: CircuitBreakerInput = {}): CircuitBreakerConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError(`circuitBreaker must be an object, got ${describe(input)}`);
  }
  for (const key of Object.keys(input)) {
    if (!FIELDS.includes(key as keyof CircuitBreakerConfig)) {
      throw new TypeError(`circuitBreaker.${key} is not a circuit breaker setting (expected one of ${FIELDS.join(', ')})`);
    }
  }
  const config: { -readonly [K in keyof CircuitBreakerConfig]: number } = { ...DEFAULT_CIRCUIT_BREAKER };
  for (const field of FIELDS) {
    const value = input[field];
    if (value === undefined) continue;
    checkField(field, value);
    config[field] = value;
  }
  return Object.freeze(config);
}

function checkField(field: keyof CircuitBreakerConfig, value: unknown): asserts value is number {
  const { min, max } = CIRCUIT_BREAKER_LIMITS[field];
  const integer = INTEGER_FIELDS.has(field);
  const wanted = `${integer ? 'an integer' : 'a number'} from ${min} to ${max}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`circuitBreaker.${field} must be ${wanted}, got ${describe(value)}`);
  }
  if (integer && !Number.isInteger(value)) {
    throw new TypeError(`circuitBreaker.${field} must be ${wanted}, got ${value} (not an integer)`);
  }
  if (value < min || value > max) {
    throw new TypeError(`circuitBreaker.${field} must be ${wanted}, got ${value}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  return typeof value;
}
