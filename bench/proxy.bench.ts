// Proxy benchmark: what the resilient proxy handler adds over a direct upstream call, and how fast an open circuit answers.
// Run with `npm run bench:proxy` (`-- --write` also regenerates its section of BENCHMARKS.md, whose prose explains the method).
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { cpus, loadavg } from 'node:os';
import { SectionReport } from './support/benchmarks-section';
import { performance } from 'node:perf_hooks';
import type { ProxyConfig } from '../lambdas/contract/proxy-config';
import { createProxy, type ProxyHandler } from '../lambdas/proxy/proxy';
import { callUpstream } from '../lambdas/shared/http-client';
import { METRICS_NAMESPACE } from '../lambdas/shared/observability';
import { proxyConfig, restEvent } from '../test/lambdas/proxy/support/events';
import { startUpstream } from '../test/lambdas/shared/support/upstream-server';

/** Timed requests per contender, in ROUNDS rounds with contenders interleaved (the machine is shared and noisy). */
const REQUESTS = 2000;
const ROUNDS = 4;
/** Untimed requests per contender first: sockets open, code optimized. */
const WARMUP = 300;
/** Open-circuit answers timed: no network, so many more fit. */
const OPEN_REQUESTS = 20_000;
const TARGET_OPEN_MS = 0.1;
/** The issue's target for what the proxy adds at p50. */
const TARGET_ADDED_P50_MS = 1;
const BODY = JSON.stringify({ id: 42, status: 'shipped', items: [{ sku: 'A-1', qty: 2 }] });

type Op = () => Promise<unknown>;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function summary(samples: number[], wallMs: number) {
  const sorted = [...samples].sort((x, y) => x - y);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: samples.reduce((s, x) => s + x, 0) / samples.length,
    opsPerSecond: (samples.length / wallMs) * 1000,
  };
}

/** Powertools writes straight to stdout: muted while timing so the terminal is not the bottleneck, but the lines are still built. */
async function muted<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await work();
  } finally {
    process.stdout.write = write;
  }
}

async function timeRounds(contenders: Record<string, Op>): Promise<Record<string, ReturnType<typeof summary>>> {
  const samples: Record<string, number[]> = {};
  const wall: Record<string, number> = {};
  for (const [name, op] of Object.entries(contenders)) {
    for (let i = 0; i < WARMUP; i += 1) await op();
    samples[name] = [];
    wall[name] = 0;
  }
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, op] of Object.entries(contenders)) {
      const roundStart = performance.now();
      for (let i = 0; i < REQUESTS / ROUNDS; i += 1) {
        const started = performance.now();
        await op();
        samples[name]!.push(performance.now() - started);
      }
      wall[name]! += performance.now() - roundStart;
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, summary(list, wall[name]!)]));
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

const ms = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '-');

function expectStatus(handler: ProxyHandler, event: () => APIGatewayProxyEvent, status: number): Op {
  return async () => {
    const result = await handler(event());
    if (result.statusCode !== status) throw new Error(`expected ${status}, got ${result.statusCode}: ${result.body}`);
  };
}

async function main(): Promise<void> {
  const section = new SectionReport('proxy');
  const started = performance.now();
  const load0 = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const upstream = await startUpstream();
  upstream.script('/orders/42', { kind: 'respond', headers: { 'content-type': 'application/json' }, body: BODY });
  upstream.script('/down', { kind: 'respond', status: 503 });
  const deps = () => ({
    logger: new Logger({ serviceName: 'bench-proxy' }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'bench-proxy' }),
  });
  const config: ProxyConfig = proxyConfig(upstream.url('/orders'), {
    circuitBreaker: {
      failureRate: 50,
      minimumRequests: 20,
      windowSeconds: 30,
      openSeconds: 3600,
      halfOpenProbes: 1,
      failureStatuses: [502, 503, 504],
      store: 'memory',
    },
    retry: { retries: 2, baseDelayMs: 50, maxDelayMs: 1000, retryOnStatuses: [502, 503, 504] },
    cors: { origins: ['https://app.example.com'], credentials: true, exposeHeaders: ['X-Request-Id'] },
  });
  const proxy = createProxy(config, deps());
  const event = () =>
    restEvent({
      pathParameters: { proxy: '42' },
      headers: { Accept: 'application/json', Origin: 'https://app.example.com', 'User-Agent': 'bench' },
    });

  console.log('Proxy benchmark: direct callUpstream vs the proxy handler (REST event in, proxy result out), one loopback upstream');
  console.log(`  node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? 'unknown'}), load average ${load0}`);
  console.log(
    `  ${REQUESTS} sequential requests per contender after ${WARMUP} warm-up, ${ROUNDS} interleaved rounds; ${BODY.length}-byte JSON answer;`,
  );
  console.log(
    '  proxy with breaker (memory), retries, CORS; Powertools log line and EMF metrics built per request, stdout muted while timing\n',
  );

  const direct: Op = async () => {
    const response = await callUpstream(
      { method: 'GET', url: upstream.url('/orders/42'), headers: { accept: 'application/json' } },
      { timeoutMs: 5000 },
    );
    if (response.status !== 200) throw new Error(`direct: ${response.status}`);
  };
  const results = await muted(() => timeRounds({ direct, proxy: expectStatus(proxy, event, 200) }));
  const a = results.direct!;
  const b = results.proxy!;
  // (c) Open the circuit with real 503s, then time the refusals: no network, no timer.
  const downEvent = () => restEvent({ pathParameters: { proxy: 'down' } });
  const downProxy = createProxy(
    {
      ...config,
      retry: undefined,
      targets: [{ name: 'default', url: upstream.origin, weight: 1 }],
      routes: { 'ANY /api/orders/{proxy+}': { prefix: '/api/orders', stripPath: true } },
    },
    deps(),
  );
  const open = await muted(async () => {
    for (let i = 0; i < 20; i += 1) await downProxy(downEvent());
    const hits = upstream.hits('/down');
    const refuse = expectStatus(downProxy, downEvent, 503);
    for (let i = 0; i < 1000; i += 1) await refuse();
    const samples: number[] = [];
    const wallStart = performance.now();
    for (let i = 0; i < OPEN_REQUESTS; i += 1) {
      const t = performance.now();
      await refuse();
      samples.push(performance.now() - t);
    }
    if (upstream.hits('/down') !== hits) throw new Error('the open circuit reached the upstream');
    return summary(samples, performance.now() - wallStart);
  });
  section.add(
    table(
      ['contender', 'p50 ms', 'p99 ms', 'mean ms', 'req/s'],
      [
        ['(a) direct callUpstream', ms(a.p50), ms(a.p99), ms(a.mean), a.opsPerSecond.toFixed(0)],
        ['(b) proxy handler', ms(b.p50), ms(b.p99), ms(b.mean), b.opsPerSecond.toFixed(0)],
        ['(c) open-circuit answer', ms(open.p50, 4), ms(open.p99, 4), ms(open.mean, 4), open.opsPerSecond.toFixed(0)],
      ],
    ),
    '',
    `- **Added by the proxy**: p50 +${ms(b.p50 - a.p50)} ms, p99 +${ms(b.p99 - a.p99)} ms; latency ${(b.p50 / a.p50).toFixed(2)}× the direct call at p50, ` +
      `${(b.p99 / a.p99).toFixed(2)}× at p99; throughput ${(b.opsPerSecond / a.opsPerSecond).toFixed(2)}×. ` +
      `Target (p50 added ≤ ${TARGET_ADDED_P50_MS} ms): ${b.p50 - a.p50 <= TARGET_ADDED_P50_MS ? 'met' : '**not met**'}.`,
    `- **Open circuit** (${OPEN_REQUESTS.toLocaleString('en-US')} answers, upstream not touched): p50 ${ms(open.p50, 4)} ms, p99 ${ms(open.p99, 4)} ms, ` +
      `${(open.p50 / a.p50).toFixed(2)}× a direct call at p50. Target (≤ ${TARGET_OPEN_MS} ms): ` +
      `${(['p50', 'mean', 'p99'] as const).map((k) => `${k} ${open[k] <= TARGET_OPEN_MS ? 'met' : '**not met**'}`).join(', ')}.`,
  );
  await upstream.close();
  console.log(
    `\n  total benchmark time ${((performance.now() - started) / 1000).toFixed(1)} s; load average at end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  section.finish();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
