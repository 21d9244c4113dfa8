// Authorizer benchmark: Gatehouse's JWT authorizer (lambdas/authorizer) vs aws-jwt-verify on the same RS256 tokens.
// Run with `npm run bench:authorizer` (`-- --runs N` to repeat the throughput scenarios, `-- --write` to regenerate its section of BENCHMARKS.md).
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { JwtVerifier } from 'aws-jwt-verify';
import { buildSync, type Metafile } from 'esbuild';
import { LAMBDA_BUILD_OPTIONS } from '../lib/constructs/bundling/bundle-handler';
import { execFileSync } from 'node:child_process';
import { KeyObject, verify as cryptoVerify, webcrypto } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { bundleAuthorizer } from '../lib/constructs/bundling/authorizer-bundle';
import type { AuthorizerConfig } from '../lambdas/contract/authorizer-config';
import { authorizerDefine } from '../lambdas/contract/authorizer-define';
import type { AuthorizerHandler } from '../lambdas/authorizer/handler';
import type { VerifiedToken } from '../lambdas/authorizer/verify';
import { jwksOf, nowSeconds, signingKey, signToken, type SigningKey } from '../test/lambdas/authorizer/support/keys';
import { AUDIENCE, gatehouseConfig, ISSUER } from './support/authorizer-config';
import { quietDeps } from './support/quiet-observability';
import { BENCHMARKS_FILE, provenance, writeSection } from './support/benchmarks-section';

const API_PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/';
const METHOD_ARN = `${API_PREFIX}GET/api/orders`;
/** The scope the called method (GET /api/orders) needs; every benchmark token holds it. */
const REQUIRED_SCOPE = 'orders:read';

/** Tokens the timed loops cycle through: 5× the Gatehouse cache (1000 entries), so a token is evicted long before it comes back. */
const POOL_TOKENS = 5000;
/** Separate tokens for warm-up, so warm-up never fills a cache with tokens the timed loop uses. */
const WARMUP_TOKENS = 300;
/** Per contender: rounds × ROUND_MS of timed requests, contenders interleaved within a round (the machine is shared and noisy). */
const ROUNDS = 6;
const ROUND_MS = 425;
/** Hard cap on requests per contender and round, whatever the clock says. */
const MAX_OPS_PER_ROUND = 200_000;
/** Realistic mix: this share of requests carries a token seen before, drawn from the LIVE_TOKENS most recent. */
const MIX_REUSE = 0.9;
const LIVE_TOKENS = 50;
/** Mix requests served untimed first, so the live set is in the cache as in a container that has been serving a while. */
const MIX_WARMUP_REQUESTS = 1000;
/** Fresh processes for the bundle's init time. */
const INIT_RUNS = 10;
/** Issue targets. */
const TARGET_BUNDLE_BYTES = 60 * 1024;

/** A REQUEST authorizer event as API Gateway sends it for `GET /api/orders`. */
function requestEvent(token: string): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: METHOD_ARN,
    resource: '/api/orders',
    path: '/api/orders',
    httpMethod: 'GET',
    headers: { Authorization: `Bearer ${token}`, Host: 'abc123.execute-api.eu-west-1.amazonaws.com', 'User-Agent': 'bench' },
    multiValueHeaders: {
      Authorization: [`Bearer ${token}`],
      Host: ['abc123.execute-api.eu-west-1.amazonaws.com'],
      'User-Agent': ['bench'],
    },
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: { requestId: 'bench-request' },
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

/** Realistic access-token claims (1 h lifetime); `n` makes each token unique. Signed in parallel batches, never timed. */
async function makeTokens(signing: SigningKey, count: number, tag: string): Promise<string[]> {
  const tokens: string[] = [];
  const now = nowSeconds();
  for (let start = 0; start < count; start += 200) {
    const batch = Array.from({ length: Math.min(200, count - start) }, (_, i) => {
      const n = start + i;
      return signToken(signing, {
        iss: ISSUER,
        aud: AUDIENCE,
        sub: `user-${tag}-${n}`,
        scope: 'openid users:read orders:read orders:write',
        client_id: `web-client-${n % 7}`,
        iat: now,
        exp: now + 3600,
        jti: `${tag}-${n}-${Math.random().toString(36).slice(2)}`,
      });
    });
    tokens.push(...(await Promise.all(batch)));
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------------------------------
// Contenders

/** What the throughput contenders call of Gatehouse's runtime. */
interface Runtime {
  readonly createHandler: typeof import('../lambdas/authorizer/handler').createHandler;
  readonly createKeyResolver: typeof import('../lambdas/authorizer/jwks').createKeyResolver;
  readonly verifyToken: typeof import('../lambdas/authorizer/verify').verifyToken;
  readonly VerifiedTokenCache: typeof import('../lambdas/authorizer/token-cache').VerifiedTokenCache;
  readonly MAX_CACHED_TOKENS: number;
}

/**
 * Gatehouse's runtime as esbuild bundles it for Lambda (LAMBDA_BUILD_OPTIONS), required from `dir`. Not the
 * TypeScript through tsx: tsx keeps function names by wrapping every closure in a `__name` call, a cost per
 * request the shipped bundle does not have (aws-jwt-verify runs from its own compiled JavaScript).
 */
function bundledRuntime(dir: string): Runtime {
  const file = join(dir, 'runtime.js');
  buildSync({
    ...LAMBDA_BUILD_OPTIONS,
    stdin: {
      contents: ['handler', 'jwks', 'verify', 'token-cache'].map((m) => `export * from './lambdas/authorizer/${m}';`).join('\n'),
      resolveDir: join(__dirname, '..'),
      loader: 'ts',
    },
    outfile: file,
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle written at run time
  return require(file) as Runtime;
}

let runtime: Runtime;

type Op = (token: string) => Promise<unknown>;

/**
 * The hand-written authorizer a user of aws-jwt-verify would write around it: Bearer token out of the header,
 * `verifier.verify`, one scope check for this method, and a policy for `methodArn` alone with a small context.
 * It builds no whole-API policy, logs nothing and emits no metrics.
 */
function awsJwtVerifyAuthorizer(verifier: ReturnType<typeof awsVerifier>) {
  const bearer = /^Bearer[ \t]+([^ \t]+)[ \t]*$/i;
  return async (event: APIGatewayRequestAuthorizerEvent) => {
    const header = event.headers?.Authorization ?? event.headers?.authorization ?? '';
    const match = bearer.exec(header);
    if (!match) throw new Error('Unauthorized');
    let payload;
    try {
      payload = await verifier.verify(match[1]!);
    } catch {
      throw new Error('Unauthorized');
    }
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    const allowed = scopes.includes(REQUIRED_SCOPE);
    return {
      principalId: String(payload.sub),
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: allowed ? 'Allow' : 'Deny', Resource: [event.methodArn] }],
      },
      context: { sub: String(payload.sub), scopes: scopes.join(' '), clientId: String(payload.client_id ?? '') },
    };
  };
}

/** aws-jwt-verify's generic verifier, same checks as Gatehouse's config (iss, aud, alg, exp/nbf with 30 s grace), JWKS cached: no network. */
function awsVerifier(signing: SigningKey) {
  const verifier = JwtVerifier.create({ issuer: ISSUER, audience: AUDIENCE, graceSeconds: 30 });
  verifier.cacheJwks(jwksOf(signing) as unknown as Parameters<typeof verifier.cacheJwks>[0]);
  return verifier;
}

interface Contender {
  readonly name: string;
  readonly what: string;
  readonly op: Op;
}

function contenders(config: AuthorizerConfig, signing: SigningKey, scenario: 'unique' | 'mix'): Contender[] {
  const { createHandler, createKeyResolver, verifyToken, VerifiedTokenCache, MAX_CACHED_TOKENS } = runtime;
  const gatehouse: AuthorizerHandler = createHandler(config);
  const viaHandler =
    (handler: AuthorizerHandler): Op =>
    (token) =>
      handler(requestEvent(token));
  const keys = createKeyResolver(config);
  const aws = awsVerifier(signing);
  const awsAuthorizer = awsJwtVerifyAuthorizer(aws);
  const list: Contender[] = [
    {
      name: 'gatehouse handler',
      what: `createHandler(config): event → policy, token cache (${MAX_CACHED_TOKENS}), Powertools log line + EMF metrics serialized (writes discarded)`,
      op: viaHandler(gatehouse),
    },
    {
      name: 'gatehouse handler, quiet',
      what: 'the same with logger SILENT and metrics disabled (nothing serialized)',
      op: viaHandler(createHandler(config, quietDeps())),
    },
  ];
  if (scenario === 'unique') {
    list.push({
      name: 'gatehouse verifyToken',
      what: 'verifyToken(token, config, keys) alone: checks, node:crypto signature check, claim checks; no cache, no policy',
      op: (token) => verifyToken(token, config, keys),
    });
  } else {
    list.push({
      name: 'gatehouse handler, no cache',
      what: 'the same with a 0-entry token cache (every token verified)',
      op: viaHandler(createHandler(config, { tokenCache: new VerifiedTokenCache<VerifiedToken>(0) })),
    });
  }
  list.push({
    name: 'aws-jwt-verify + policy',
    what: 'Bearer regex + JwtVerifier.verify + scope check + one-statement policy for methodArn',
    op: (token) => awsAuthorizer(requestEvent(token)),
  });
  if (scenario === 'unique') {
    list.push({ name: 'aws-jwt-verify verify', what: 'JwtVerifier.verify(token) alone', op: (token) => aws.verify(token) });
  }
  return list;
}

// ---------------------------------------------------------------------------------------------------------------------
// Request streams

/** A small seeded PRNG (mulberry32), so every contender sees the same sequence of tokens. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Stream = () => { token: string; fresh: boolean };

/** Every request a token not seen for POOL_TOKENS requests (cycling a pool 5× the Gatehouse cache). */
function uniqueStream(pool: readonly string[]): Stream {
  let i = 0;
  return () => ({ token: pool[i++ % pool.length]!, fresh: true });
}

/** MIX_REUSE of requests reuse one of the LIVE_TOKENS most recent tokens; the rest bring a new one, which joins the live set. */
function mixStream(pool: readonly string[], seed: number): Stream {
  const random = prng(seed);
  let next = 0;
  const live: string[] = [];
  const fresh = () => pool[next++ % pool.length]!;
  return () => {
    if (live.length < LIVE_TOKENS || random() >= MIX_REUSE) {
      const token = fresh();
      live.push(token);
      if (live.length > LIVE_TOKENS) live.shift();
      return { token, fresh: true };
    }
    return { token: live[Math.floor(random() * live.length)]!, fresh: false };
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Timing

interface Measurement {
  readonly contender: Contender;
  ops: number;
  ms: number;
  /** CPU time of this process (user + system, all threads) over the same rounds: what the scheduler's preemption does not inflate. */
  cpuMs: number;
  fresh: number;
  latencies: number[];
  outputBytes: number;
}

/** Swallows stdout/stderr (Powertools' log lines and EMF) while `fn` runs, counting the bytes. */
async function discardingOutput<T>(fn: () => Promise<T>): Promise<{ result: T; bytes: number }> {
  let bytes = 0;
  const out = process.stdout.write;
  const err = process.stderr.write;
  const swallow = ((chunk: string | Uint8Array) => {
    bytes += chunk.length;
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = swallow;
  process.stderr.write = swallow;
  try {
    return { result: await fn(), bytes };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** Sequential requests, one at a time as a Lambda container serves them, for `ms` or `maxOps`. */
async function timedRound(m: Measurement, stream: Stream, ms: number, maxOps: number): Promise<void> {
  const { bytes } = await discardingOutput(async () => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const deadline = start + ms;
    let t = start;
    let ops = 0;
    while (t < deadline && ops < maxOps) {
      const { token, fresh } = stream();
      await m.contender.op(token);
      const end = performance.now();
      m.latencies.push(end - t);
      if (fresh) m.fresh++;
      t = end;
      ops++;
    }
    m.ops += ops;
    m.ms += t - start;
    const used = process.cpuUsage(cpu);
    m.cpuMs += (used.user + used.system) / 1000;
  });
  m.outputBytes += bytes;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

interface Row {
  readonly scenario: string;
  readonly name: string;
  readonly opsPerSec: number;
  /** Requests per second of CPU time: on a loaded machine, closer to what an idle one would show. */
  readonly opsPerCpuSec: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly freshShare: number;
  readonly ops: number;
  readonly outputBytesPerOp: number;
}

async function runScenario(
  scenario: 'unique' | 'mix',
  config: AuthorizerConfig,
  signing: SigningKey,
  pool: readonly string[],
  warmup: readonly string[],
): Promise<Row[]> {
  const list = contenders(config, signing, scenario);
  const streams = list.map(() => (scenario === 'unique' ? uniqueStream(pool) : mixStream(pool, 0x5eed)));
  const measurements: Measurement[] = list.map((contender) => ({
    contender,
    ops: 0,
    ms: 0,
    cpuMs: 0,
    fresh: 0,
    latencies: [],
    outputBytes: 0,
  }));
  // Warm-up: JIT, key import, and (mix) a live set already in the cache, as in a container that has been serving for a while.
  await discardingOutput(async () => {
    for (const c of list) for (const token of warmup) await c.op(token);
  });
  for (const [i, m] of measurements.entries()) {
    const warm: Measurement = { ...m, latencies: [], ops: 0, ms: 0, cpuMs: 0, fresh: 0, outputBytes: 0 };
    if (scenario === 'mix') await timedRound(warm, streams[i]!, Infinity, MIX_WARMUP_REQUESTS);
  }
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate the order so that no contender always runs first (or right after GC-heavy work).
    const order = round % 2 === 0 ? measurements.map((_, i) => i) : measurements.map((_, i) => measurements.length - 1 - i);
    for (const i of order) await timedRound(measurements[i]!, streams[i]!, ROUND_MS, MAX_OPS_PER_ROUND);
  }
  return measurements.map((m) => {
    const sorted = m.latencies.sort((a, b) => a - b);
    return {
      scenario,
      name: m.contender.name,
      opsPerSec: (m.ops / m.ms) * 1000,
      opsPerCpuSec: (m.ops / m.cpuMs) * 1000,
      p50Us: percentile(sorted, 50) * 1000,
      p99Us: percentile(sorted, 99) * 1000,
      freshShare: m.fresh / m.ops,
      ops: m.ops,
      outputBytesPerOp: m.outputBytes / m.ops,
    };
  });
}

/** Every contender accepts a good token with an Allow, and refuses a token whose signature was tampered with. */
async function sanityCheck(config: AuthorizerConfig, signing: SigningKey, token: string): Promise<void> {
  const tampered = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
  const otherKey = await signingKey('bench-key-1'); // same kid, different key: the signature cannot verify
  const forged = await signToken(otherKey, { iss: ISSUER, aud: AUDIENCE, scope: REQUIRED_SCOPE, exp: nowSeconds() + 3600 });
  await discardingOutput(async () => {
    for (const c of [...contenders(config, signing, 'unique'), ...contenders(config, signing, 'mix')]) {
      const result = (await c.op(token)) as { policyDocument?: { Statement: { Effect: string; Resource: readonly string[] }[] } };
      if (result.policyDocument) {
        const allows = result.policyDocument.Statement.some((s) => s.Effect === 'Allow' && s.Resource.includes(METHOD_ARN));
        if (!allows) throw new Error(`${c.name}: a valid token did not get an Allow for ${METHOD_ARN}`);
      }
      for (const bad of [tampered, forged]) {
        const refused = await c.op(bad).then(
          () => false,
          () => true,
        );
        if (!refused) throw new Error(`${c.name}: accepted a token with a bad signature`);
      }
    }
  });
}

/**
 * The floor under both: one RS256 signature check of a benchmark token, sequentially, with node:crypto's synchronous
 * `crypto.verify` (what aws-jwt-verify calls) and with WebCrypto's `crypto.subtle.verify` (what jose calls; an async job
 * on libuv's thread pool). Microseconds per check, median of 5 batches.
 */
async function signatureFloor(signing: SigningKey, token: string): Promise<{ nodeCryptoUs: number; webCryptoUs: number }> {
  const dot = token.lastIndexOf('.');
  const data = Buffer.from(token.slice(0, dot));
  const signature = Buffer.from(token.slice(dot + 1), 'base64url');
  const keyObject = KeyObject.from(signing.publicKey);
  const algorithm = { name: 'RSASSA-PKCS1-v1_5' };
  const batch = 2000;
  const nodeBatches: number[] = [];
  const webBatches: number[] = [];
  for (let round = 0; round < 6; round++) {
    let t = performance.now();
    for (let i = 0; i < batch; i++) if (!cryptoVerify('sha256', data, keyObject, signature)) throw new Error('node:crypto: bad signature');
    const nodeMs = performance.now() - t;
    t = performance.now();
    for (let i = 0; i < batch; i++) {
      if (!(await webcrypto.subtle.verify(algorithm, signing.publicKey, signature, data))) throw new Error('WebCrypto: bad signature');
    }
    const webMs = performance.now() - t;
    if (round === 0) continue; // warm-up
    nodeBatches.push((nodeMs / batch) * 1000);
    webBatches.push((webMs / batch) * 1000);
  }
  return { nodeCryptoUs: median(nodeBatches), webCryptoUs: median(webBatches) };
}

// ---------------------------------------------------------------------------------------------------------------------
// Bundle: size, composition, init time in fresh processes

/** The build bundleAuthorizer makes (lambdas/shared/bundle.ts options), plus a metafile; checked below to give the same bytes. */
function analyseGatehouseBundle(config: AuthorizerConfig): { bytes: number; metafile: Metafile } {
  const result = buildSync({
    ...LAMBDA_BUILD_OPTIONS,
    entryPoints: [join(__dirname, '..', 'lambdas', 'authorizer', 'handler.ts')],
    outfile: 'index.js',
    define: authorizerDefine(config),
    metafile: true,
    write: false,
  });
  return { bytes: result.outputFiles[0]?.contents.length ?? 0, metafile: result.metafile };
}

/** The aws-jwt-verify authorizer above as its own Lambda bundle (same esbuild options), for reference. */
function bundleAwsJwtVerify(signing: SigningKey, outdir: string): { file: string; bytes: number; metafile: Metafile } {
  const file = join(outdir, 'index.js');
  const source = `
    const { JwtVerifier } = require('aws-jwt-verify');
    const verifier = JwtVerifier.create({ issuer: ${JSON.stringify(ISSUER)}, audience: ${JSON.stringify(AUDIENCE)}, graceSeconds: 30 });
    verifier.cacheJwks(${JSON.stringify(jwksOf(signing))});
    const bearer = /^Bearer[ \\t]+([^ \\t]+)[ \\t]*$/i;
    exports.handler = async (event) => {
      const match = bearer.exec((event.headers && (event.headers.Authorization || event.headers.authorization)) || '');
      if (!match) throw new Error('Unauthorized');
      let payload;
      try { payload = await verifier.verify(match[1]); } catch { throw new Error('Unauthorized'); }
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
      const allowed = scopes.includes(${JSON.stringify(REQUIRED_SCOPE)});
      return {
        principalId: String(payload.sub),
        policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: allowed ? 'Allow' : 'Deny', Resource: [event.methodArn] }] },
        context: { sub: String(payload.sub), scopes: scopes.join(' '), clientId: String(payload.client_id || '') },
      };
    };`;
  const result = buildSync({
    ...LAMBDA_BUILD_OPTIONS,
    stdin: { contents: source, resolveDir: join(__dirname, '..'), loader: 'js' },
    outfile: file,
    metafile: true,
  });
  return { file, bytes: readFileSync(file).length, metafile: result.metafile };
}

/** Who an input file belongs to: its npm package, or this repo. */
function ownerOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match ? match[1]! : 'gatehouse (lambdas/)';
}

function composition(metafile: Metafile): { byInput: [string, number][]; byOwner: [string, number][] } {
  const output = Object.values(metafile.outputs)[0];
  const inputs = Object.entries(output?.inputs ?? {}).map(([path, info]) => [path, info.bytesInOutput] as [string, number]);
  const owners = new Map<string, number>();
  for (const [path, bytes] of inputs) owners.set(ownerOf(path), (owners.get(ownerOf(path)) ?? 0) + bytes);
  return {
    byInput: inputs.sort((a, b) => b[1] - a[1]),
    byOwner: [...owners.entries()].sort((a, b) => b[1] - a[1]),
  };
}

interface InitRun {
  readonly requireMs: number;
  readonly firstInvokeMs: number;
  readonly secondInvokeMs: number;
  /** Milliseconds from the process's time origin to the start of the require (Node's own start-up). */
  readonly nodeStartMs: number;
  /** CPU time (user + system, all threads) of the require and the first invocation. */
  readonly cpuMs: number;
  readonly effect: string;
  readonly fetches: number;
}

/**
 * In a fresh `node -e` process: require the bundle, then invoke it once (and a second time) with a valid token.
 * `fetch`, `http.request` and `https.request` are replaced first and counted, so any network attempt shows up
 * (baked keys should need none). Powertools' output is swallowed; the result is printed as one JSON line.
 */
const CHILD = `
const { performance } = require('node:perf_hooks');
let fetches = 0;
const blocked = () => { fetches++; throw new Error('network blocked in bench child'); };
globalThis.fetch = async () => blocked();
require('node:http').request = blocked; require('node:https').request = blocked;
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true; process.stderr.write = () => true;
const token = process.env.BENCH_TOKEN;
const event = { type: 'REQUEST', methodArn: process.env.BENCH_ARN, headers: { Authorization: 'Bearer ' + token },
  multiValueHeaders: { Authorization: ['Bearer ' + token] }, requestContext: { requestId: 'init' } };
const nodeStartMs = performance.now();
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const mod = require(process.env.BENCH_BUNDLE);
const t1 = process.hrtime.bigint();
mod.handler(event).then(async (result) => {
  const t2 = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpu0);
  await mod.handler(event);
  const t3 = process.hrtime.bigint();
  const ms = (a, b) => Number(b - a) / 1e6;
  write(JSON.stringify({ requireMs: ms(t0, t1), firstInvokeMs: ms(t1, t2), secondInvokeMs: ms(t2, t3), nodeStartMs, cpuMs: (cpu.user + cpu.system) / 1000,
    effect: result.policyDocument.Statement.map((s) => s.Effect).join('+'), fetches }) + '\\n');
}, (err) => { write(JSON.stringify({ error: String(err), fetches }) + '\\n'); process.exitCode = 1; });
`;

function initRuns(bundleFile: string, token: string, count: number = INIT_RUNS): InitRun[] {
  const runs: InitRun[] = [];
  for (let i = 0; i < count; i++) {
    const stdout = execFileSync(process.execPath, ['-e', CHILD], {
      env: { PATH: process.env.PATH ?? '', BENCH_BUNDLE: bundleFile, BENCH_TOKEN: token, BENCH_ARN: METHOD_ARN },
      encoding: 'utf8',
      timeout: 30_000,
    });
    const run = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as InitRun & { error?: string };
    if (run.error) throw new Error(`bundle ${bundleFile} failed its first invocation: ${run.error}`);
    runs.push(run);
  }
  return runs;
}

// ---------------------------------------------------------------------------------------------------------------------
// Output

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const fmt = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '-');

/** `--write` regenerates this bench's section of BENCHMARKS.md; `--runs N` repeats the throughput scenarios (default 1, 3 with --write). */
function parseArgs(argv: readonly string[]): { write: boolean; runs: number } {
  const write = argv.includes('--write');
  const at = argv.indexOf('--runs');
  const runs = at >= 0 ? Number(argv[at + 1]) : write ? 3 : 1;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a positive integer, got ${argv[at + 1]}`);
  return { write, runs };
}

/** Issue 20's targets for the authorizer, all as ratios to aws-jwt-verify measured in the same process, except the bundle size. */
const TARGETS = { mixRatio: 1.0, uniqueRatio: 0.5, coldStartRatio: 2.0 } as const;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const loadNow = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  const load0 = loadNow();
  const loadAtStart = loadavg();
  // Read from node_modules directly: some packages (aws-jwt-verify) do not export their package.json.
  const pkg = (name: string) =>
    (JSON.parse(readFileSync(join(__dirname, '..', 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  const versions = `jose ${pkg('jose')}, aws-jwt-verify ${pkg('aws-jwt-verify')}, esbuild ${pkg('esbuild')}, Powertools ${pkg('@aws-lambda-powertools/logger')}`;
  console.log('Authorizer benchmark: Gatehouse (lambdas/authorizer) vs aws-jwt-verify');
  console.log(`  node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? 'unknown'}), ${versions}`);

  const signing = await signingKey('bench-key-1', 'RS256');
  const config = gatehouseConfig(signing);
  const runtimeDir = mkdtempSync(join(tmpdir(), 'gatehouse-authorizer-runtime-'));
  try {
    runtime = bundledRuntime(runtimeDir);
  } finally {
    rmSync(runtimeDir, { recursive: true, force: true });
  }
  const t0 = performance.now();
  const pool = await makeTokens(signing, POOL_TOKENS, 'pool');
  const warmup = await makeTokens(signing, WARMUP_TOKENS, 'warm');
  console.log(
    `  ${POOL_TOKENS} + ${WARMUP_TOKENS} (warm-up) RS256 2048-bit tokens signed in ${((performance.now() - t0) / 1000).toFixed(1)} s (untimed), ` +
      `${pool[0]!.length} characters each; claims iss, aud, sub, scope, client_id, iat, exp (+1 h), jti`,
  );
  console.log(
    `  requests sequential (one at a time, as a Lambda container serves them); per contender ${ROUNDS} rounds × ${ROUND_MS} ms, contenders interleaved; ${args.runs} run(s) of both scenarios;`,
  );
  console.log(
    `  keys already loaded (Gatehouse: JWKS baked in the config; aws-jwt-verify: cacheJwks), no network; Gatehouse's runtime from its esbuild bundle, as shipped\n`,
  );
  await sanityCheck(config, signing, pool[0]!);
  console.log('  sanity: every contender allows a valid token and refuses a tampered and a forged one\n');

  const runs: { unique: Row[]; mix: Row[] }[] = [];
  for (let run = 0; run < args.runs; run++) {
    const unique = await runScenario('unique', config, signing, pool, warmup);
    const mix = await runScenario('mix', config, signing, pool, warmup);
    runs.push({ unique, mix });
    if (args.runs > 1) console.log(`  run ${run + 1}/${args.runs} done (load ${loadNow()})`);
  }
  const { unique, mix } = runs[runs.length - 1]!;
  const floor = await signatureFloor(signing, pool[0]!);
  const describe = contenders(config, signing, 'unique').concat(
    contenders(config, signing, 'mix').filter((c) => c.name === 'gatehouse handler, no cache'),
  );

  // Bundles.
  const outdir = mkdtempSync(join(tmpdir(), 'gatehouse-authorizer-bench-'));
  let bundleRows: string[][];
  let gatehouseComposition: ReturnType<typeof composition>;
  let awsComposition: ReturnType<typeof composition>;
  let gatehouseBundle: { bytes: number; gzip: number; init: InitRun[] };
  let awsBundle: { bytes: number; gzip: number; init: InitRun[] };
  try {
    const gatehouseDir = join(outdir, 'gatehouse');
    const awsDir = join(outdir, 'aws-jwt-verify');
    const built = bundleAuthorizer(config, mkdirp(gatehouseDir));
    const analysed = analyseGatehouseBundle(config);
    if (analysed.bytes !== built.bytes) {
      console.log(`  NOTE: the metafile build gave ${analysed.bytes} bytes, bundleAuthorizer ${built.bytes}: bundle.ts options changed?`);
    }
    gatehouseComposition = composition(analysed.metafile);
    const aws = bundleAwsJwtVerify(signing, mkdirp(awsDir));
    awsComposition = composition(aws.metafile);
    const initToken = (await makeTokens(signing, 1, 'init'))[0]!;
    // Interleaved, so both bundles see the same moments of a shared machine.
    const gatehouseInit: InitRun[] = [];
    const awsInit: InitRun[] = [];
    for (let i = 0; i < INIT_RUNS; i++) {
      gatehouseInit.push(...initRuns(built.file, initToken, 1));
      awsInit.push(...initRuns(aws.file, initToken, 1));
    }
    gatehouseBundle = { bytes: built.bytes, gzip: gzipSync(readFileSync(built.file)).length, init: gatehouseInit };
    awsBundle = { bytes: aws.bytes, gzip: gzipSync(readFileSync(aws.file)).length, init: awsInit };
    const named: [string, typeof gatehouseBundle][] = [
      ['gatehouse (bundleAuthorizer)', gatehouseBundle],
      ['aws-jwt-verify + policy', awsBundle],
    ];
    bundleRows = named.map(([name, x]) => {
      return [
        name,
        String(x.bytes),
        kb(x.bytes),
        kb(x.gzip),
        fmt(median(x.init.map((r) => r.requireMs)), 1),
        fmt(median(x.init.map((r) => r.firstInvokeMs)), 1),
        fmt(median(x.init.map((r) => r.requireMs + r.firstInvokeMs)), 1),
        fmt(median(x.init.map((r) => r.cpuMs)), 1),
        fmt(median(x.init.map((r) => r.secondInvokeMs)), 2),
        fmt(median(x.init.map((r) => r.nodeStartMs)), 1),
        [...new Set(x.init.map((r) => r.effect))].join(','),
        String(x.init.reduce((s, r) => s + r.fetches, 0)),
      ];
    });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }

  // Report: printed, and with --write also the generated section of BENCHMARKS.md.
  const md: string[] = [];
  const out = (text: string) => {
    console.log(text);
    md.push(text);
  };
  console.log('\nContenders:');
  for (const c of describe) console.log(`  ${c.name.padEnd(28)} ${c.what}`);

  const throughputHeader = [
    'scenario',
    'contender',
    'ops/s',
    'ops/CPU-s',
    'p50 µs/op',
    'p99 µs/op',
    'new tokens',
    'requests timed',
    'log+EMF bytes/op',
  ];
  const throughputRows = [...unique, ...mix].map((r) => [
    r.scenario === 'unique'
      ? 'unique tokens'
      : `mix ${Math.round(MIX_REUSE * 100)}/${Math.round((1 - MIX_REUSE) * 100)}, ${LIVE_TOKENS} live`,
    r.name,
    fmt(r.opsPerSec),
    fmt(r.opsPerCpuSec),
    fmt(r.p50Us),
    fmt(r.p99Us),
    `${fmt(r.freshShare * 100, 1)} %`,
    String(r.ops),
    fmt(r.outputBytesPerOp),
  ]);
  out(
    `\nWarm throughput and latency, sequential requests (${args.runs > 1 ? `the last of ${args.runs} runs` : 'one run'}):\n\n${table(throughputHeader, throughputRows)}`,
  );

  const find = (rows: Row[], name: string) => rows.find((r) => r.name === name);
  /** Median and range over the runs of one ratio (ops/s, p50 or p99), so a reader sees how noisy the machine was. */
  const spread = (scenario: 'unique' | 'mix', a: string, b: string, of: (x: Row, y: Row) => number) => {
    const values = runs.map((run) => {
      const [x, y] = [find(run[scenario], a), find(run[scenario], b)];
      return x && y ? of(x, y) : NaN;
    });
    const finite = values.filter(Number.isFinite);
    if (finite.length === 0) return { median: NaN, text: '-' };
    const m = median(finite);
    const range = finite.length > 1 ? ` (${fmt(Math.min(...finite), 2)}–${fmt(Math.max(...finite), 2)})` : '';
    return { median: m, text: `${fmt(m, 2)}${range}` };
  };
  const pairs: ['unique' | 'mix', string, string][] = [
    ['unique', 'gatehouse handler', 'aws-jwt-verify + policy'],
    ['unique', 'gatehouse handler, quiet', 'aws-jwt-verify + policy'],
    ['unique', 'gatehouse verifyToken', 'aws-jwt-verify verify'],
    ['mix', 'gatehouse handler', 'aws-jwt-verify + policy'],
    ['mix', 'gatehouse handler, quiet', 'aws-jwt-verify + policy'],
    ['mix', 'gatehouse handler, no cache', 'aws-jwt-verify + policy'],
  ];
  const ratioRows = pairs.map(([scenario, a, b]) => [
    scenario === 'unique' ? 'unique tokens' : 'mix',
    `${a} / ${b}`,
    spread(scenario, a, b, (x, y) => x.opsPerSec / y.opsPerSec).text,
    spread(scenario, a, b, (x, y) => x.opsPerCpuSec / y.opsPerCpuSec).text,
    spread(scenario, a, b, (x, y) => x.p50Us / y.p50Us).text,
    spread(scenario, a, b, (x, y) => x.p99Us / y.p99Us).text,
  ]);
  const over = args.runs > 1 ? `median of ${args.runs} runs (min–max)` : 'one run';
  out(
    `\nGatehouse / aws-jwt-verify, ${over}; ops/s above 1: Gatehouse faster; latency below 1: Gatehouse faster:\n\n` +
      table(['scenario', 'pair', 'ops/s ratio', 'ops/CPU-s ratio', 'p50 ratio', 'p99 ratio'], ratioRows),
  );

  out(
    `\nFloor: one RS256-2048 signature check, sequential: node:crypto \`verify\` (sync; what aws-jwt-verify and, since issue 20, Gatehouse call) ${fmt(floor.nodeCryptoUs, 1)} µs; ` +
      `\`crypto.subtle.verify\` (async, thread pool; what jose's \`jwtVerify\` calls) ${fmt(floor.webCryptoUs, 1)} µs.`,
  );

  out(
    `\nBundled handler (minified, esbuild as in bundle.ts; init = median of ${INIT_RUNS} fresh \`node -e\` processes per bundle, the two bundles alternating, network blocked in the child):\n\n` +
      table(
        [
          'bundle',
          'bytes',
          'minified',
          'gzipped',
          'require ms',
          '1st invoke ms',
          'require + 1st ms',
          'require + 1st CPU ms',
          '2nd invoke ms',
          'node start ms',
          'answer',
          'network attempts',
        ],
        bundleRows,
      ),
  );

  const total = (c: ReturnType<typeof composition>) => c.byOwner.reduce((s, [, b]) => s + b, 0);
  const share = (bytes: number, of: number) => `${fmt((bytes / of) * 100, 1)} %`;
  const gTotal = total(gatehouseComposition);
  out(
    `\nWhat the Gatehouse bundle holds (esbuild metafile, bytes in output; the rest, ${gatehouseBundle.bytes - gTotal} bytes, is esbuild's module wrappers):\n`,
  );
  out(
    table(
      ['package', 'bytes', 'share'],
      gatehouseComposition.byOwner.map(([o, b]) => [o, String(b), share(b, gatehouseBundle.bytes)]),
    ),
  );
  out('\nTop 15 input files:\n');
  out(
    table(
      ['input', 'bytes'],
      gatehouseComposition.byInput.slice(0, 15).map(([p, b]) => [p.replace(/^.*node_modules\//, ''), String(b)]),
    ),
  );
  console.log('\naws-jwt-verify bundle by package:');
  console.log(
    table(
      ['package', 'bytes'],
      awsComposition.byOwner.map(([o, b]) => [o, String(b)]),
    ),
  );

  const mixRatio = spread('mix', 'gatehouse handler', 'aws-jwt-verify + policy', (x, y) => x.opsPerSec / y.opsPerSec);
  const uniqueRatio = spread('unique', 'gatehouse handler', 'aws-jwt-verify + policy', (x, y) => x.opsPerSec / y.opsPerSec);
  const mixCpuRatio = spread('mix', 'gatehouse handler', 'aws-jwt-verify + policy', (x, y) => x.opsPerCpuSec / y.opsPerCpuSec);
  const uniqueCpuRatio = spread('unique', 'gatehouse handler', 'aws-jwt-verify + policy', (x, y) => x.opsPerCpuSec / y.opsPerCpuSec);
  const coldCpuMs = (b: typeof gatehouseBundle) => median(b.init.map((r) => r.cpuMs));
  const coldMs = (b: typeof gatehouseBundle) => median(b.init.map((r) => r.requireMs + r.firstInvokeMs));
  const coldRatio = coldMs(gatehouseBundle) / coldMs(awsBundle);
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  out(
    `\nTargets (issue 20):\n\n` +
      `- mix throughput ≥ ${TARGETS.mixRatio}× aws-jwt-verify + policy: ${met(mixRatio.median >= TARGETS.mixRatio)} (${mixRatio.text}×; per CPU second ${mixCpuRatio.text}×)\n` +
      `- unique-token throughput ≥ ${TARGETS.uniqueRatio}×: ${met(uniqueRatio.median >= TARGETS.uniqueRatio)} (${uniqueRatio.text}×; per CPU second ${uniqueCpuRatio.text}×)\n` +
      `- cold start (require + first invocation) ≤ ${TARGETS.coldStartRatio}× aws-jwt-verify's: ${met(coldRatio <= TARGETS.coldStartRatio)} (${fmt(coldMs(gatehouseBundle), 1)} ms against ${fmt(coldMs(awsBundle), 1)} ms, ${fmt(coldRatio, 2)}×; in CPU time ${fmt(coldCpuMs(gatehouseBundle), 1)} ms against ${fmt(coldCpuMs(awsBundle), 1)} ms, ${fmt(coldCpuMs(gatehouseBundle) / coldCpuMs(awsBundle), 2)}×)\n` +
      `- bundle ≤ ${kb(TARGET_BUNDLE_BYTES)} minified: ${met(gatehouseBundle.bytes <= TARGET_BUNDLE_BYTES)} (${kb(gatehouseBundle.bytes)}, ${fmt((gatehouseBundle.bytes / TARGET_BUNDLE_BYTES) * 100)} % of the target)`,
  );

  console.log(
    `\n  total benchmark time ${((performance.now() - started) / 1000).toFixed(1)} s; load average at start ${load0}, at end ${loadNow()}`,
  );
  if (args.write) {
    writeSection(
      'authorizer',
      `${provenance(loadAtStart)} ${versions}. ${args.runs} run(s) of both throughput scenarios.\n${md.join('\n')}`,
    );
    console.log(`  wrote the authorizer section of ${BENCHMARKS_FILE}`);
  }
}

function mkdirp(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
