// `gatehouse local` on the shipped config: time until it serves, and what a request through it adds over calling the upstream directly.
//
//   npx tsx bench/local.bench.ts [--write]
//
// The upstream is a loopback echo server started here; the route measured is the shipped config's order route
// (API key, the resilient proxy bundle in a worker thread, then the upstream), the whole chain `local` emulates.
// Requests are sequential and fewer than the usage plan's burst (200), so no throttle answers.
import { createServer, request, type Server } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLocal } from '../lib/local/start';
import { provenance, writeSection } from './support/benchmarks-section';

const CONFIG = join(__dirname, '..', 'gatehouse.yaml');
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 150);

function echoServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, url: req.url }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })),
  );
}

function get(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer from ${url} in 30 s`)));
    req.on('error', reject);
    req.end();
  });
}

async function latencies(url: string, headers: Record<string, string>): Promise<{ ms: number[]; failures: number }> {
  const ms: number[] = [];
  let failures = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const start = performance.now();
    const status = await get(url, headers);
    ms.push(performance.now() - start);
    if (status !== 200) failures++;
  }
  return { ms: ms.sort((a, b) => a - b), failures };
}

const pct = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main(): Promise<void> {
  const load = loadavg();
  const upstream = await echoServer();
  const started = performance.now();
  const local = await startLocal({
    file: CONFIG,
    port: 0,
    upstreams: { 'user-service': upstream.url, 'order-service': upstream.url },
    state: 'off',
    log: () => undefined,
    quietHandlers: true,
  });
  const startupMs = performance.now() - started;
  try {
    const key = local.gateways.find((g) => g.name === 'public')?.keys[0];
    if (!key) throw new Error('the shipped config has no API key for the public gateway');
    const headers = { 'x-api-key': key.value };
    const route = `${local.url('public')}/api/orders`;
    const firstStart = performance.now();
    const firstStatus = await get(route, headers);
    const firstMs = performance.now() - firstStart;
    const direct = await latencies(`${upstream.url}/api/orders`, {});
    const through = await latencies(route, headers);
    const rows = [
      ['direct to the upstream', direct],
      ['through `gatehouse local` (key check, proxy bundle, upstream)', through],
    ] as const;
    const table = [
      '| path | requests | p50 ms | p90 ms | p99 ms | non-200 |',
      '| ---- | -------- | ------ | ------ | ------ | ------- |',
      ...rows.map(
        ([name, r]) =>
          `| ${name} | ${REQUESTS} | ${pct(r.ms, 50).toFixed(2)} | ${pct(r.ms, 90).toFixed(2)} | ${pct(r.ms, 99).toFixed(2)} | ${r.failures} |`,
      ),
    ];
    const markdown = [
      provenance(load),
      '',
      `Startup (synthesis, bundling, workers; state off): **${(startupMs / 1000).toFixed(1)} s** until it serves. ` +
        `First request through the order route: ${firstMs.toFixed(0)} ms (status ${firstStatus}, the proxy worker's cold start).`,
      '',
      ...table,
      '',
      `Added per request at the median: **${(pct(through.ms, 50) - pct(direct.ms, 50)).toFixed(2)} ms** ` +
        `(${(pct(through.ms, 50) / pct(direct.ms, 50)).toFixed(1)}× the direct call).`,
    ].join('\n');
    console.log(markdown);
    if (process.argv.includes('--write')) writeSection('local', markdown);
  } finally {
    await local.close();
    upstream.server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
