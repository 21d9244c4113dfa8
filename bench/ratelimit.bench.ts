// Rate-limit benchmark: decisions per second and latency added per request by the limiter, its DynamoDB round trip on a loopback moto_server, and the fast-path refusal.
// Run with `npm run bench:ratelimit` (`-- --write` also regenerates its section of BENCHMARKS.md). Needs moto_server on PATH (pip install "moto[server]").
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { cpus, loadavg } from 'node:os';
import type { ClientKeyEvent } from '../lambdas/shared/rate-limit/client-key';
import { resolveRateLimitConfig, type RateLimitInput } from '../lambdas/contract/rate-limit-config';
import { counterWindow } from '../lambdas/shared/rate-limit/counter-store';
import { DynamoCounterStore } from '../lambdas/shared/rate-limit/counter-store-dynamodb';
import { createRateLimiter, type RateLimitDecision, type RateLimiter } from '../lambdas/shared/rate-limit/rate-limiter';
import {
  createCounterTable,
  findMotoServer,
  freePort,
  instanceClient,
  MOTO_MISSING,
  startMotoServer,
} from '../test/lambdas/shared/rate-limit/support/rate-limit-moto';
import { MemoryCounterStore } from '../test/lambdas/shared/rate-limit/support/memory-counter-store';
import { SectionReport } from './support/benchmarks-section';

/** Requests per table-bound scenario, and the time cap whichever comes first; local scenarios get far more requests. */
const TABLE_REQUESTS = 1500;
const LOCAL_REQUESTS = 100_000;
const SCENARIO_CAP_MS = 8000;
/** Untimed requests first, so connections are open and every path is optimized before it is timed. */
const WARMUP = 100;
/** Simulated Lambda instances for the throughput row, each sending one request at a time. */
const INSTANCES = 4;
const SCOPE = 'bench#GET /orders';
/** Far above what the bench sends in a window: every request is admitted and reaches the table. */
const NEVER_REACHED = 1_000_000_000;

/** A proxy event as API Gateway sends it, reduced to what the client key reads. */
function proxyEventFor(sourceIp: string): ClientKeyEvent {
  return {
    headers: {},
    multiValueHeaders: {},
    requestContext: { identity: { sourceIp } as ClientKeyEvent['requestContext']['identity'], authorizer: null },
  };
}

/** The work a handler does after admission: resolves at once, so what is left is the limiter's own cost. */
const call = (): Promise<number> => Promise.resolve(1);
let sink: unknown;

interface Scenario {
  readonly name: string;
  readonly what: string;
  readonly requests: number;
  /** Table calls per request, as the limiter documents them (first read of a window aside). */
  readonly tableCalls: string;
  readonly op: () => Promise<unknown>;
}

/** Counts degraded decisions of the timed loop; `false` when the op is not a limiter. */
let degradedCount = 0;
const counted = (decision: RateLimitDecision): boolean => {
  if (decision.degraded !== undefined) degradedCount += 1;
  return decision.allowed;
};

interface Result {
  readonly scenario: Scenario;
  readonly requests: number;
  /** Decisions taken without the table (it timed out or was down): a table row means nothing if these are many. */
  readonly degraded: number;
  readonly perSecond: number;
  readonly p50us: number;
  readonly p99us: number;
}

function limiterOf(client: DynamoDBClient, tableName: string, input: RateLimitInput): RateLimiter {
  return createRateLimiter(resolveRateLimitConfig(input, SCOPE), { store: new DynamoCounterStore({ tableName, client }), hooks: {} });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function run(scenario: Scenario): Promise<Result> {
  for (let i = 0; i < WARMUP; i += 1) sink = await scenario.op();
  degradedCount = 0;
  const latenciesNs: number[] = [];
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(SCENARIO_CAP_MS * 1e6);
  let before = started;
  while (latenciesNs.length < scenario.requests && before < deadline) {
    sink = await scenario.op();
    const after = process.hrtime.bigint();
    latenciesNs.push(Number(after - before));
    before = after;
  }
  const elapsedNs = Number(before - started);
  latenciesNs.sort((a, b) => a - b);
  return {
    scenario,
    requests: latenciesNs.length,
    degraded: degradedCount,
    perSecond: (latenciesNs.length / elapsedNs) * 1e9,
    p50us: percentile(latenciesNs, 50) / 1000,
    p99us: percentile(latenciesNs, 99) / 1000,
  };
}

/** INSTANCES limiters with their own clients, each looping one request at a time: the fleet's decisions per second against one table. */
async function fleetThroughput(endpoint: string, tableName: string): Promise<{ perSecond: number; requests: number }> {
  const clients = Array.from({ length: INSTANCES }, () => instanceClient(endpoint));
  const limiters = clients.map((client) => limiterOf(client, tableName, { minute: NEVER_REACHED, by: 'ip' }));
  let requests = 0;
  const started = Date.now();
  const deadline = started + SCENARIO_CAP_MS / 2;
  await Promise.all(
    limiters.map(async (limiter, i) => {
      while (Date.now() < deadline && requests < TABLE_REQUESTS * 2) {
        sink = await limiter.check(`fleet-${i % 2}`);
        requests += 1;
      }
    }),
  );
  for (const client of clients) client.destroy();
  return { perSecond: (requests / (Date.now() - started)) * 1000, requests };
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const section = new SectionReport('ratelimit');
  const executable = findMotoServer();
  if (executable === undefined) throw new Error(MOTO_MISSING);
  const cpu = cpus();
  console.log(`# bench:ratelimit — ${new Date().toISOString()}`);
  console.log(
    `machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, node ${process.version}, load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const moto = await startMotoServer(executable);
  // Table set-up waits as long as moto needs; the limiters use the store's own client settings.
  const admin = instanceClient(moto.endpoint, { requestHandler: { connectionTimeout: 10_000, requestTimeout: 10_000 } });
  const client = instanceClient(moto.endpoint);
  const downClient = instanceClient(`http://127.0.0.1:${await freePort()}`);
  try {
    const tableName = await createCounterTable(admin);
    const oneWindow = limiterOf(client, tableName, { minute: NEVER_REACHED, by: 'ip' });
    const twoWindows = limiterOf(client, tableName, { minute: NEVER_REACHED, hour: NEVER_REACHED, by: 'ip' });
    const overLimit = limiterOf(client, tableName, { minute: 1, by: 'ip' });
    await overLimit.check('hammering');
    if ((await overLimit.check('hammering')).allowed) throw new Error('the fast-path scenario must start over its limit');
    const rawStore = new DynamoCounterStore({ tableName, client });
    const inProcess = createRateLimiter(resolveRateLimitConfig({ minute: NEVER_REACHED, by: 'ip' }, SCOPE), {
      store: new MemoryCounterStore(),
      hooks: {},
    });
    const tableDown = limiterOf(downClient, 'unreachable', { minute: NEVER_REACHED, by: 'ip' });
    if ((await tableDown.check('x')).degraded === undefined) throw new Error('the outage scenario must reach no table');

    const scenarios: Scenario[] = [
      { name: 'no limiter', what: '`await call()` alone: the floor every row pays', requests: LOCAL_REQUESTS, tableCalls: '0', op: call },
      {
        name: 'store.increment alone',
        what: 'the same conditional UpdateItem the limiter sends, without the limiter: the round trip to moto on loopback',
        requests: TABLE_REQUESTS,
        tableCalls: '1',
        op: () => rawStore.increment(counterWindow(SCOPE, 'raw', 60, 0), NEVER_REACHED),
      },
      {
        name: 'limiter, in-process store',
        what: 'the limiter over a Map instead of the table: its own CPU cost (key hash, LRU, estimate)',
        requests: LOCAL_REQUESTS,
        tableCalls: '0 (Map)',
        op: async () => counted(await inProcess.check(proxyEventFor('198.51.100.7'))) && call(),
      },
      {
        name: 'limiter, minute, admitted',
        what: '`check()` then `call()`: one conditional UpdateItem per request',
        requests: TABLE_REQUESTS,
        tableCalls: '1',
        op: async () => counted(await oneWindow.check('client-1')) && call(),
      },
      {
        name: 'limiter, minute + hour, admitted',
        what: 'two windows: two UpdateItems in parallel per request',
        requests: TABLE_REQUESTS,
        tableCalls: '2 (parallel)',
        op: async () => counted(await twoWindows.check('client-2')) && call(),
      },
      {
        name: 'fast-path refusal',
        what: 'a client this instance knows to be over its limit: refused from memory',
        requests: LOCAL_REQUESTS,
        tableCalls: '0',
        op: async () => counted(await overLimit.check('hammering')) && call(),
      },
      {
        name: 'table unreachable, failOpen',
        what: 'connection refused; the table is retried once per STORE_RETRY_MS (1 s), admitted from memory meanwhile',
        requests: LOCAL_REQUESTS,
        tableCalls: '≤ 1 per second',
        op: async () => counted(await tableDown.check('client-3')) && call(),
      },
    ];
    const results: Result[] = [];
    for (const scenario of scenarios) results.push(await run(scenario));
    const floor = results[0] as Result;
    section.add(
      'Per request, one instance sending one request at a time:',
      '',
      table(
        [
          'scenario',
          'decisions/s',
          'p50 µs',
          'p99 µs',
          'added p50 µs',
          'added p99 µs',
          'table calls/request',
          'requests timed',
          'degraded',
        ],
        results.map((r) => [
          r.scenario.name,
          fmt(r.perSecond),
          fmt(r.p50us, 1),
          fmt(r.p99us, 1),
          r === floor ? '–' : fmt(r.p50us - floor.p50us, 1),
          r === floor ? '–' : fmt(r.p99us - floor.p99us, 1),
          r.scenario.tableCalls,
          fmt(r.requests),
          fmt(r.degraded),
        ]),
      ),
      '',
    );
    for (const r of results) console.log(`- ${r.scenario.name}: ${r.scenario.what}`);
    const fleet = await fleetThroughput(moto.endpoint, tableName);
    const resultOf = (name: string) => results.find((r) => r.scenario.name === name) as Result;
    const added = (name: string) => resultOf(name).p50us - floor.p50us;
    const bare = resultOf('store.increment alone');
    /** A table row against the bare UpdateItem, unless the table timed out under it: then its decisions came from memory and it measures nothing. */
    const againstBare = (name: string) => {
      const r = resultOf(name);
      return r.degraded > 0
        ? `not measured (${fmt(r.degraded)} of ${fmt(r.requests)} decisions degraded: the table missed the limiter's shared-state budget, and it decided from memory until its next try)`
        : `${(r.p50us / bare.p50us).toFixed(2)}×`;
    };
    section.add(
      `- **The limiter's own cost** (in-process store): ${fmt(added('limiter, in-process store'), 1)} µs per decision at p50; ` +
        `a client already over its limit is refused from memory in ${fmt(added('fast-path refusal'), 1)} µs, with no table call.`,
      `- **With the table**, against the bare \`UpdateItem\` at p50: one window ${againstBare('limiter, minute, admitted')}, two windows ${againstBare('limiter, minute + hour, admitted')}.`,
      `- **Fleet**: ${INSTANCES} instances with their own clients against one table, two keys: ${fmt(fleet.perSecond)} decisions/s in all (${fmt(fleet.requests)} requests).`,
    );
  } finally {
    admin.destroy();
    client.destroy();
    downClient.destroy();
    await moto.stop();
  }
  console.log(
    `\nload average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (last result: ${typeof sink})`,
  );
  section.finish();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
