// Breaker benchmark: overhead per call of Gatehouse's circuit breaker vs opossum around the same trivial async call.
// Run with `npm run bench:breaker` (`-- --write` also regenerates its section of BENCHMARKS.md, whose prose explains the method).
import Opossum from 'opossum';
import { version as opossumVersion } from 'opossum/package.json';
import { SectionReport } from './support/benchmarks-section';
import { cpus, loadavg } from 'node:os';
import { CircuitBreaker } from '../lambdas/shared/breaker/circuit-breaker';
import type { CircuitBreakerConfig } from '../lambdas/contract/circuit-breaker-config';
import { SharedCircuitBreaker } from '../lambdas/shared/breaker/shared-circuit-breaker';
import { MemoryBreakerStore } from '../test/lambdas/shared/breaker/support/breaker-memory-store';

/** The example settings; opossum gets the same (rate 50 %, 20 requests, 30 s window of 10 buckets, 30 s open). */
const CONFIG: CircuitBreakerConfig = { failureRate: 50, minimumRequests: 20, windowSeconds: 30, openSeconds: 30, halfOpenProbes: 1 };
/** Per contender and scenario: rounds of ROUND_MS each, contenders interleaved within a round (the machine is shared and noisy). */
const ROUNDS = 7;
const ROUND_MS = 250;
/** Calls between two clock reads; a round ends at the first batch boundary past ROUND_MS. */
const BATCH = 2000;
/** Hard cap per round, whatever the clock says. */
const MAX_OPS_PER_ROUND = 5_000_000;
/** Untimed calls per contender first, so every path is optimized before it is timed. */
const WARMUP_OPS = 50_000;
/** The target for an open circuit's answer. */
const TARGET_OPEN_NS = 100_000;

const section = new SectionReport('breaker');

const FALLBACK = Symbol('fallback');
/** The protected call: resolves at once, so what is left is the breaker's own cost. */
const call = (): Promise<number> => Promise.resolve(1);

type Op = () => unknown;

interface Contender {
  readonly name: string;
  readonly what: string;
  /** Sync ops are timed without awaiting; async ops are awaited one after the other. */
  readonly kind: 'async' | 'sync';
  readonly op: Op;
  readonly teardown?: () => void;
}

/** What the proxy handler does around an upstream call: decide, call, record; the fallback when refused. */
function guarded(breaker: Pick<CircuitBreaker, 'tryAcquire' | 'onSuccess' | 'onFailure'>): Op {
  return async () => {
    const permit = breaker.tryAcquire();
    if (permit === undefined) return FALLBACK;
    try {
      const value = await call();
      breaker.onSuccess(permit);
      return value;
    } catch (error) {
      breaker.onFailure(permit);
      throw error;
    }
  };
}

function opossumOptions(lean: boolean): Opossum.Options {
  return {
    errorThresholdPercentage: CONFIG.failureRate,
    volumeThreshold: CONFIG.minimumRequests,
    rollingCountTimeout: CONFIG.windowSeconds * 1000,
    rollingCountBuckets: 10,
    resetTimeout: CONFIG.openSeconds * 1000,
    ...(lean ? { timeout: false, rollingPercentilesEnabled: false, enableSnapshots: false } : {}),
  };
}

function opossum(lean: boolean, state: 'closed' | 'open', withFallback: boolean): { op: Op; teardown: () => void } {
  const breaker = new Opossum(call, opossumOptions(lean));
  if (withFallback) breaker.fallback(() => FALLBACK);
  if (state === 'open') breaker.open();
  const op: Op = withFallback ? () => breaker.fire() : () => breaker.fire().catch(() => FALLBACK);
  return { op, teardown: () => breaker.shutdown() };
}

/** A shared breaker on a store that answers at once: the hot path with the cache check, background reads once a second. */
function sharedWithStore(state: 'closed' | 'open'): SharedCircuitBreaker {
  const store = new MemoryBreakerStore();
  const farFuture = Date.now() + 3_600_000;
  if (state === 'open') store.items.set('bench', { state: 'open', version: Date.now(), openUntilMs: farFuture, updatedAtMs: Date.now() });
  return new SharedCircuitBreaker({ key: 'bench', config: CONFIG, store, hooks: {} });
}

function closedContenders(): Contender[] {
  const leanOpossum = opossum(true, 'closed', false);
  const defaultOpossum = opossum(false, 'closed', false);
  return [
    { name: 'no breaker', what: '`await call()` alone: the floor every row pays', kind: 'async', op: call },
    {
      name: 'async wrapper, no breaker',
      what: '`async () => await call()`: the wrapper every breaker needs, without a breaker',
      kind: 'async',
      op: async () => await call(),
    },
    {
      name: 'gatehouse CircuitBreaker',
      what: 'core: tryAcquire → await call → onSuccess',
      kind: 'async',
      op: guarded(new CircuitBreaker(CONFIG)),
    },
    {
      name: 'gatehouse SharedCircuitBreaker, memory',
      what: 'what the proxy uses without a table',
      kind: 'async',
      op: guarded(new SharedCircuitBreaker({ key: 'bench', config: CONFIG, hooks: {} })),
    },
    {
      name: 'gatehouse SharedCircuitBreaker, store',
      what: 'with a store (in-process, instant): cache check per call, one background read per second',
      kind: 'async',
      op: guarded(sharedWithStore('closed')),
    },
    {
      name: 'opossum, defaults',
      what: 'fire(): 10 s timeout timer per call, latency percentiles, snapshots',
      kind: 'async',
      ...defaultOpossum,
    },
    { name: 'opossum, lean', what: 'fire() with timeout, percentiles and snapshots off', kind: 'async', ...leanOpossum },
  ];
}

async function openContenders(): Promise<Contender[]> {
  const core = new CircuitBreaker(CONFIG);
  core.adopt('open', Date.now() + 3_600_000);
  const shared = sharedWithStore('open');
  await shared.sync(); // as a handler does at init: the first request already knows the shared state
  return [
    {
      name: 'gatehouse tryAcquire (decision)',
      what: 'the synchronous decision alone: `tryAcquire()` → undefined',
      kind: 'sync',
      op: () => core.tryAcquire(),
    },
    { name: 'gatehouse CircuitBreaker', what: 'guarded call returning the fallback', kind: 'async', op: guarded(core) },
    {
      name: 'gatehouse SharedCircuitBreaker, store',
      what: 'guarded call, open state read from the store',
      kind: 'async',
      op: guarded(shared),
    },
    { name: 'opossum, defaults, fallback', what: 'fire() → fallback() while open', kind: 'async', ...opossum(false, 'open', true) },
    { name: 'opossum, lean, fallback', what: 'same, timeout/percentiles/snapshots off', kind: 'async', ...opossum(true, 'open', true) },
    {
      name: 'opossum, lean, rejection',
      what: 'fire() rejects with its OpenCircuitError (no fallback), caught',
      kind: 'async',
      ...opossum(true, 'open', false),
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------------
// Timing

interface Measurement {
  readonly contender: Contender;
  readonly nsPerOp: number[];
}

let sink: unknown;

async function runOps(contender: Contender, count: number): Promise<void> {
  if (contender.kind === 'sync') {
    for (let i = 0; i < count; i += 1) sink = contender.op();
  } else {
    for (let i = 0; i < count; i += 1) sink = await contender.op();
  }
}

async function timedRound(m: Measurement): Promise<void> {
  let ops = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(ROUND_MS * 1e6);
  let now = started;
  while (now < deadline && ops < MAX_OPS_PER_ROUND) {
    await runOps(m.contender, BATCH);
    ops += BATCH;
    now = process.hrtime.bigint();
  }
  m.nsPerOp.push(Number(now - started) / ops);
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function measure(list: Contender[]): Promise<Measurement[]> {
  const measurements = list.map((contender) => ({ contender, nsPerOp: [] as number[] }));
  for (const m of measurements) await runOps(m.contender, WARMUP_OPS);
  for (let round = 0; round < ROUNDS; round += 1) {
    // Rotate the order each round so no contender always runs right after a GC-heavy one.
    for (let i = 0; i < measurements.length; i += 1) await timedRound(measurements[(i + round) % measurements.length] as Measurement);
  }
  for (const m of measurements) m.contender.teardown?.();
  return measurements;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const medianNs = (measurements: readonly Measurement[], name: string) =>
  median(measurements.find((m) => m.contender.name === name)?.nsPerOp ?? [Number.NaN]);

function report(title: string, measurements: Measurement[], floorName: string | undefined, opossumName: string): void {
  const nsOf = (name: string) => medianNs(measurements, name);
  const floor = floorName === undefined ? 0 : nsOf(floorName);
  const overheadOf = (ns: number) => ns - floor;
  const opossumOverhead = overheadOf(nsOf(opossumName));
  const rows = measurements.map((m) => {
    const ns = median(m.nsPerOp);
    const spread = `${fmt(Math.min(...m.nsPerOp))}–${fmt(Math.max(...m.nsPerOp))}`;
    const isFloor = m.contender.name === floorName;
    const overhead = floorName === undefined ? [] : [isFloor ? '–' : fmt(overheadOf(ns))];
    return [m.contender.name, fmt(1e9 / ns), fmt(ns), spread, ...overhead, isFloor ? '–' : fmt(overheadOf(ns) / opossumOverhead, 2)];
  });
  const overheadHeader = floorName === undefined ? [] : ['overhead ns/op'];
  section.add(
    `${title}:`,
    '',
    table(['contender', 'ops/s (median)', 'ns/op (median)', `ns/op range (${ROUNDS} rounds)`, ...overheadHeader, `÷ ${opossumName}`], rows),
    '',
  );
  for (const m of measurements) console.log(`- ${m.contender.name}: ${m.contender.what}`);
  console.log('');
}

/** The two targets, and the ratios the prose reads, from the medians above. */
function verdicts(closed: Measurement[], open: Measurement[]): void {
  const floor = medianNs(closed, 'no breaker');
  const overhead = (name: string) => medianNs(closed, name) - floor;
  const gatehouse = ['gatehouse CircuitBreaker', 'gatehouse SharedCircuitBreaker, memory', 'gatehouse SharedCircuitBreaker, store'].map(
    overhead,
  );
  const worst = Math.max(...gatehouse);
  const ratio = (x: number, y: number) => fmt(x / y, 2);
  const openGatehouse = medianNs(open, 'gatehouse SharedCircuitBreaker, store');
  const openOpossum = medianNs(open, 'opossum, defaults, fallback');
  section.add(
    `- **Closed, overhead per call**: Gatehouse's (the core to the shared breaker with a store) ${ratio(Math.min(...gatehouse), overhead('opossum, defaults'))}–${ratio(worst, overhead('opossum, defaults'))}× opossum's with its defaults, ` +
      `${ratio(Math.min(...gatehouse), overhead('opossum, lean'))}–${ratio(worst, overhead('opossum, lean'))}× opossum lean's. ` +
      `Target (no higher than opossum's): ${worst <= Math.min(overhead('opossum, defaults'), overhead('opossum, lean')) ? 'met' : '**not met**'}.`,
    `- **Open, per refused call**: Gatehouse with a store ${fmt(openGatehouse)} ns, ${ratio(openGatehouse, openOpossum)}× opossum's with a fallback; ` +
      `the decision alone ${fmt(medianNs(open, 'gatehouse tryAcquire (decision)'))} ns. Target (≤ 0.1 ms): ${openGatehouse <= TARGET_OPEN_NS ? 'met' : '**not met**'}.`,
  );
}

async function sanityCheck(): Promise<void> {
  // Every contender must really be in the state it claims, or the comparison means nothing.
  for (const c of closedContenders()) {
    const value = await c.op();
    c.teardown?.();
    if (value !== 1) throw new Error(`${c.name}: expected the call's value in the closed state, got ${String(value)}`);
  }
  const open = await openContenders();
  for (const c of open) {
    const value = await c.op();
    const refused = c.kind === 'sync' ? value === undefined : value === FALLBACK;
    if (!refused) throw new Error(`${c.name}: expected a refusal in the open state, got ${String(value)}`);
  }
  for (const c of open) c.teardown?.();
}

async function main(): Promise<void> {
  const cpu = cpus();
  console.log(`# bench:breaker — ${new Date().toISOString()}`);
  console.log(
    `machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, node ${process.version}, ` +
      `opossum ${opossumVersion}, load average before: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  await sanityCheck();
  const closed = await measure(closedContenders());
  report('Closed circuit, with the call succeeding', closed, 'no breaker', 'opossum, defaults');
  const open = await measure(await openContenders());
  report('Open circuit, per refused call (no call made)', open, undefined, 'opossum, defaults, fallback');
  verdicts(closed, open);
  console.log(
    `\nload average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (last result: ${String(sink)})`,
  );
  section.finish(`opossum ${opossumVersion}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
