// The circuit breaker of one upstream target: closed / open / half-open, decided synchronously from local counts.
import {
  resolveCircuitBreakerConfig,
  WINDOW_BUCKETS,
  type CircuitBreakerConfig,
  type CircuitBreakerInput,
} from '../../contract/circuit-breaker-config';
import { RollingFailureWindow } from './rolling-failure-window';

export type CircuitState = 'closed' | 'open' | 'half-open';

/** Why the state changed. Stable: log lines and dashboards use them. */
export type TransitionReason =
  /** closed → open: the window's failure rate reached `failureRate` with at least `minimumRequests`. */
  | 'failure-rate'
  /** open → half-open: `openSeconds` elapsed. */
  | 'open-elapsed'
  /** half-open → closed: `halfOpenProbes` probes succeeded. */
  | 'probe-succeeded'
  /** half-open → open: a probe failed. */
  | 'probe-failed'
  /** Any change taken over from the state other instances share (see `SharedCircuitBreaker`). */
  | 'adopted';

export interface CircuitTransition {
  readonly from: CircuitState;
  readonly to: CircuitState;
  readonly reason: TransitionReason;
  readonly atMs: number;
  /** The breaker's epoch after the change: it grows by one on every change, local or adopted. */
  readonly epoch: number;
  /** When an open circuit starts admitting probes (epoch ms); 0 unless `to` is `open`. */
  readonly openUntilMs: number;
  /** The window at the moment it opened, for `failure-rate`; both 0 otherwise. */
  readonly requests: number;
  readonly failures: number;
}

/**
 * Leave to send one request. Hand it back with `onSuccess`, `onFailure` or `release`; a permit from
 * before a state change is ignored then, so late answers cannot close or reopen the circuit.
 */
export interface Permit {
  readonly epoch: number;
  /** True for a half-open probe. */
  readonly probe: boolean;
}

export interface CircuitBreakerOptions {
  /** Clock in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Called synchronously on every state change. It must not throw. */
  readonly onTransition?: (transition: CircuitTransition) => void;
}

/** What the breaker holds at one moment, for logs and tests. */
export interface CircuitSnapshot {
  readonly state: CircuitState;
  readonly epoch: number;
  readonly requests: number;
  readonly failures: number;
  readonly openUntilMs: number;
  readonly probesAdmitted: number;
  readonly probeSuccesses: number;
}

/**
 * Failure-rate circuit breaker over a rolling window (`WINDOW_BUCKETS` buckets of `windowSeconds`).
 *
 * - closed: every request is admitted; each failure re-checks the rate, and the circuit opens when
 *   `failures / requests >= failureRate %` with `requests >= minimumRequests`.
 * - open: `tryAcquire` refuses without touching the network until `openSeconds` have passed; the first
 *   call after that moves to half-open.
 * - half-open: up to `halfOpenProbes` probes at once; that many successes close the circuit with an
 *   empty window, one failure reopens it. Probe slots that never got an answer within `openSeconds`
 *   are freed, so a lost probe cannot hold the circuit half-open for ever.
 *
 * Deciding costs no allocation: permits are created once per state change and shared.
 */
export class CircuitBreaker {
  readonly config: CircuitBreakerConfig;
  private readonly now: () => number;
  private readonly onTransition: ((transition: CircuitTransition) => void) | undefined;
  private readonly window: RollingFailureWindow;
  private readonly openMs: number;

  private current: CircuitState = 'closed';
  private epochNumber = 0;
  private permit: Permit = Object.freeze({ epoch: 0, probe: false });
  private openUntil = 0;
  private probesAdmitted = 0;
  private probeSuccesses = 0;
  private lastProbeAt = 0;

  constructor(config: CircuitBreakerInput = {}, options: CircuitBreakerOptions = {}) {
    this.config = resolveCircuitBreakerConfig(config);
    this.now = options.now ?? Date.now;
    this.onTransition = options.onTransition;
    this.window = new RollingFailureWindow((this.config.windowSeconds * 1000) / WINDOW_BUCKETS, WINDOW_BUCKETS);
    this.openMs = this.config.openSeconds * 1000;
  }

  /** The state as last changed; an open circuit whose time is up still reads `open` until the next `tryAcquire`. */
  get state(): CircuitState {
    return this.current;
  }

  get epoch(): number {
    return this.epochNumber;
  }

  /** A permit to send the request, or `undefined` to fail fast. Synchronous and cheap in every state. */
  tryAcquire(): Permit | undefined {
    if (this.current === 'closed') return this.permit;
    const now = this.now();
    if (this.current === 'open') {
      if (now < this.openUntil) return undefined;
      this.change('half-open', 'open-elapsed', now);
    } else if (this.probesAdmitted >= this.config.halfOpenProbes) {
      if (now - this.lastProbeAt < this.openMs) return undefined;
      this.probesAdmitted = this.probeSuccesses; // unanswered probes time out
    }
    this.probesAdmitted += 1;
    this.lastProbeAt = now;
    return this.permit;
  }

  onSuccess(permit: Permit): void {
    if (permit.epoch !== this.epochNumber) return;
    if (this.current === 'closed') {
      this.window.record(this.now(), false);
    } else if (this.current === 'half-open') {
      this.probeSuccesses += 1;
      if (this.probeSuccesses >= this.config.halfOpenProbes) this.change('closed', 'probe-succeeded', this.now());
    }
  }

  onFailure(permit: Permit): void {
    if (permit.epoch !== this.epochNumber) return;
    if (this.current === 'closed') {
      const now = this.now();
      this.window.record(now, true);
      const { requests, failures } = this.window;
      if (requests >= this.config.minimumRequests && failures * 100 >= this.config.failureRate * requests) {
        this.change('open', 'failure-rate', now, requests, failures);
      }
    } else if (this.current === 'half-open') {
      this.change('open', 'probe-failed', this.now());
    }
  }

  /** Hands back a permit whose request neither succeeded nor failed (cancelled): frees its probe slot. */
  release(permit: Permit): void {
    if (permit.epoch !== this.epochNumber || this.current !== 'half-open') return;
    this.probesAdmitted = Math.max(this.probeSuccesses, this.probesAdmitted - 1);
  }

  /**
   * Takes over a state decided elsewhere (another instance, through the shared store). A change of
   * state is reported with reason `adopted`; the same state only takes the new `openUntilMs`.
   * @param openUntilMs for `open`: when probes start (epoch ms). @default now + openSeconds
   */
  adopt(state: CircuitState, openUntilMs?: number): void {
    if (state === this.current) {
      if (state === 'open' && openUntilMs !== undefined) this.openUntil = openUntilMs;
      return;
    }
    this.change(state, 'adopted', this.now(), 0, 0, openUntilMs);
  }

  snapshot(): CircuitSnapshot {
    const { requests, failures } = this.window.countsAt(this.now());
    return {
      state: this.current,
      epoch: this.epochNumber,
      requests,
      failures,
      openUntilMs: this.current === 'open' ? this.openUntil : 0,
      probesAdmitted: this.probesAdmitted,
      probeSuccesses: this.probeSuccesses,
    };
  }

  private change(to: CircuitState, reason: TransitionReason, now: number, requests = 0, failures = 0, openUntilMs?: number): void {
    const from = this.current;
    this.current = to;
    this.epochNumber += 1;
    this.permit = Object.freeze({ epoch: this.epochNumber, probe: to === 'half-open' });
    this.probesAdmitted = 0;
    this.probeSuccesses = 0;
    this.openUntil = to === 'open' ? (openUntilMs ?? now + this.openMs) : 0;
    if (to === 'closed') this.window.reset();
    this.onTransition?.({ from, to, reason, atMs: now, epoch: this.epochNumber, openUntilMs: this.openUntil, requests, failures });
  }
}
