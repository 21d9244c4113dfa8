// Aggregator benchmark: latency of a three-part fan-out (50/100/150 ms upstreams) against its slowest part alone and the three in sequence.
// Run with `npm run bench:aggregate` (`-- --write` also regenerates its section of BENCHMARKS.md): real upstreams on 127.0.0.1,
// the real handler in-process, a bounded number of runs.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { cpus, loadavg } from 'node:os';
import { SectionReport } from './support/benchmarks-section';
import { performance } from 'node:perf_hooks';
import type { AggregatorConfig, PartConfig } from '../lambdas/contract/aggregator-config';
import { createHandler, type AggregatorHandler } from '../lambdas/aggregator/handler';
import { callUpstream } from '../lambdas/shared/http-client';
import { startUpstream, type UpstreamServer } from '../test/lambdas/shared/support/upstream-server';

/** Timed runs per contender, contenders interleaved run by run (the machine is shared and noisy). */
const RUNS = 40;
/** Untimed runs per contender first: sockets kept alive, code paths optimized. */
const WARMUP_RUNS = 3;
/** Requests timed for the handler's own cost, with parts answered in-process (no sockets, no timers). */
const CPU_RUNS = 1000;
/** The target: the fan-out adds at most this over its slowest part, at p50. */
const TARGET_OVERHEAD_MS = 5;
const PART_DELAYS_MS = { profile: 50, orders: 100, recs: 150 } as const;
const SLOWEST = 'recs';

/** A realistic part body (~2 kB of JSON), so merging and serializing cost what they would. */
function partBody(name: string): string {
  return JSON.stringify({
    part: name,
    items: Array.from({ length: 20 }, (_, i) => ({ id: `${name}-${i}`, title: `Item ${i} of ${name}`, price: i * 1.5 })),
  });
}

function partConfig(upstream: UpstreamServer, name: string): PartConfig {
  return {
    service: `${name}-service`,
    url: upstream.origin,
    pathTemplate: `/${name}/{claims.sub}`,
    method: 'GET',
    timeoutMs: 2000,
    optional: name !== 'profile',
    forwardHeaders: ['authorization'],
  };
}

function aggregateConfig(upstream: UpstreamServer, names: readonly string[]): AggregatorConfig {
  return {
    gateway: 'web',
    route: '/api/dashboard',
    parts: Object.fromEntries(names.map((name) => [name, partConfig(upstream, name)])),
    deadlineMs: 5000,
    correlationHeader: 'X-Correlation-Id',
    gatewayRequestIdHeader: 'X-Gateway-Request-Id',
    compressMinBytes: 1024,
  };
}

const EVENT = {
  resource: '/api/dashboard',
  path: '/api/dashboard',
  httpMethod: 'GET',
  headers: { Authorization: 'Bearer x', 'Accept-Encoding': 'gzip, deflate, br' },
  multiValueHeaders: null,
  pathParameters: null,
  queryStringParameters: null,
  requestContext: { requestId: 'bench', authorizer: { sub: 'user-1', iss: 'https://idp.example' } },
} as unknown as APIGatewayProxyEvent;

interface Contender {
  readonly name: string;
  readonly what: string;
  readonly run: () => Promise<void>;
  readonly ms: number[];
}

async function direct(upstream: UpstreamServer, name: string): Promise<void> {
  const response = await callUpstream({ method: 'GET', url: upstream.url(`/${name}/user-1`) }, { timeoutMs: 2000 });
  JSON.parse(response.body.toString('utf8'));
  if (response.status !== 200) throw new Error(`${name}: status ${response.status}`);
}

function viaHandler(handler: AggregatorHandler): () => Promise<void> {
  return async () => {
    const result = await handler(EVENT);
    if (result.statusCode !== 200 || result.multiValueHeaders?.['x-gatehouse-partial'])
      throw new Error(`aggregate answered ${result.statusCode}: ${result.body}`);
  };
}

/** Mean time per request of the real handler whose parts answer at once from memory: render, schedule, parse, merge, br, log, count. */
async function handlerCpuMs(logger: Logger, metrics: Metrics): Promise<number> {
  const bodies = new Map(Object.keys(PART_DELAYS_MS).map((name) => [name, Buffer.from(partBody(name))]));
  const handler = createHandler(aggregateConfig({ origin: 'http://127.0.0.1:9' } as UpstreamServer, Object.keys(PART_DELAYS_MS)), {
    logger,
    metrics,
    breakerHooks: {},
    call: async (request) => ({
      status: 200,
      headers: { 'content-type': ['application/json'] },
      body: bodies.get(new URL(request.url).pathname.split('/')[1] ?? '') ?? Buffer.from('{}'),
      timings: { headersMs: 0, totalMs: 0 },
      reusedConnection: true,
    }),
  });
  const run = viaHandler(handler);
  for (let i = 0; i < CPU_RUNS / 5; i += 1) await run();
  const started = performance.now();
  for (let i = 0; i < CPU_RUNS; i += 1) await run();
  return (performance.now() - started) / CPU_RUNS;
}

function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const fmt = (n: number) => n.toFixed(1);

async function main(): Promise<void> {
  const section = new SectionReport('aggregate');
  const cpu = cpus();
  console.log(`# bench:aggregate — ${new Date().toISOString()}`);
  console.log(
    `machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, node ${process.version}, load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const upstream = await startUpstream();
  for (const [name, delayMs] of Object.entries(PART_DELAYS_MS)) {
    upstream.script(`/${name}/user-1`, { kind: 'respond', headers: { 'content-type': 'application/json' }, body: partBody(name), delayMs });
  }
  const names = Object.keys(PART_DELAYS_MS);
  // Logs and metrics still run (their cost is real) but print nothing, so the output stays a report.
  const logger = new Logger({ logLevel: 'SILENT' });
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const metrics = new Metrics({ namespace: 'GatehouseBench' });
  const aggregate = createHandler(aggregateConfig(upstream, names), { logger, metrics, breakerHooks: {} });
  const single = createHandler(aggregateConfig(upstream, [SLOWEST]), { logger, metrics, breakerHooks: {} });
  const contenders: Contender[] = [
    {
      name: `slowest part alone (${PART_DELAYS_MS[SLOWEST]} ms)`,
      what: 'callUpstream + JSON.parse of the slowest part: the lower bound',
      run: () => direct(upstream, SLOWEST),
      ms: [],
    },
    {
      name: 'aggregate, 3 parts',
      what: 'the handler: fan-out, merge, br (Accept-Encoding: gzip, deflate, br), logs and metrics silenced',
      run: viaHandler(aggregate),
      ms: [],
    },
    {
      name: 'aggregate, slowest part only',
      what: 'the handler around the slowest part alone: its fixed cost without the fan-out',
      run: viaHandler(single),
      ms: [],
    },
    {
      name: 'three parts one after another',
      what: 'callUpstream ×3 in sequence: what the client pays without the aggregator (before its own round trips)',
      run: async () => {
        for (const name of names) await direct(upstream, name);
      },
      ms: [],
    },
  ];
  for (const contender of contenders) for (let i = 0; i < WARMUP_RUNS; i += 1) await contender.run();
  for (let i = 0; i < RUNS; i += 1) {
    for (const contender of contenders) {
      const started = performance.now();
      await contender.run();
      contender.ms.push(performance.now() - started);
    }
  }
  await upstream.close();
  const cpuMs = await handlerCpuMs(logger, metrics);

  const floor = percentile(contenders[0]!.ms, 50);
  // Each run times every contender back to back, so the difference within a run cancels most of the machine's drift.
  const pairedOverhead = (c: Contender) =>
    percentile(
      c.ms.map((ms, run) => ms - (contenders[0]!.ms[run] as number)),
      50,
    );
  const floorP99 = percentile(contenders[0]!.ms, 99);
  section.add(
    `Latency over ${RUNS} runs each (ms):`,
    '',
    table(
      ['contender', 'p50', 'p99', 'min', 'max', 'p50 − slowest part', 'p99 − slowest part', 'median of per-run differences'],
      contenders.map((c, index) => [
        c.name,
        fmt(percentile(c.ms, 50)),
        fmt(percentile(c.ms, 99)),
        fmt(Math.min(...c.ms)),
        fmt(Math.max(...c.ms)),
        index === 0 ? '–' : fmt(percentile(c.ms, 50) - floor),
        index === 0 ? '–' : fmt(percentile(c.ms, 99) - floorP99),
        index === 0 ? '–' : fmt(pairedOverhead(c)),
      ]),
    ),
    '',
  );
  for (const c of contenders) console.log(`- ${c.name}: ${c.what}`);
  const overhead = percentile(contenders[1]!.ms, 50) - floor;
  const sequential = percentile(contenders[3]!.ms, 50);
  section.add(
    `- **The 3-part aggregate answers ${fmt(overhead)} ms after its slowest part at p50** (target ≤ ${TARGET_OVERHEAD_MS} ms: ${overhead <= TARGET_OVERHEAD_MS ? 'met' : '**not met**'}; ` +
      `median per-run difference ${fmt(pairedOverhead(contenders[1]!))} ms), ${(percentile(contenders[1]!.ms, 50) / sequential).toFixed(2)}× the time of the parts one after another.`,
    `- The handler's own cost with the three parts answered in-process (no network, no timers): ${cpuMs.toFixed(2)} ms per request over ${CPU_RUNS} requests; ` +
      'the rest of the overhead above is the event loop on this machine.',
  );
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  section.finish();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
