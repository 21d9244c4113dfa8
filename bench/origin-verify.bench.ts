// Origin-verify benchmark: what checking CloudFront's X-Origin-Verify header costs (lambdas/shared/origin-verify, lambdas/origin-verify, the JWT authorizer's payload-2.0 path), each beside a baseline in the same process, and the cold read of the secret from a loopback moto_server.
// Run with `npm run bench:origin-verify` (`-- --write` also regenerates its section of BENCHMARKS.md, whose prose explains the method).
// Needs moto_server on PATH (pip install "moto[server]").
import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { buildSync } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type { AuthorizerConfig } from '../lambdas/contract/authorizer-config';
import { CONFIG_GLOBAL } from '../lambdas/contract/authorizer-define';
import { createHandler as createAuthorizer, type AuthorizerHandler } from '../lambdas/authorizer/handler';
import type { OriginVerifyHandler } from '../lambdas/origin-verify/handler';
import { bundleHandler, LAMBDA_BUILD_OPTIONS } from '../lib/constructs/bundling/bundle-handler';
import { createOriginVerifier, MISMATCH_RECHECK_MS, ORIGIN_VERIFY_HEADER, type OriginVerifier } from '../lambdas/shared/origin-verify';
import { nowSeconds, signingKey, signToken } from '../test/lambdas/authorizer/support/keys';
import { AUDIENCE, gatehouseConfig, ISSUER } from './support/authorizer-config';
import { quietDeps } from './support/quiet-observability';
import { originRequestEvent } from '../test/lambdas/origin-verify/support/events';
import {
  countGetSecretValue,
  createOriginSecret,
  findMotoServer,
  originSecretValue,
  rotateOriginSecret,
  secretsClient,
  startMotoServer,
} from '../test/lambdas/shared/support/secrets-moto';
import { motoMissing } from '../test/support/moto-server';
import { SectionReport } from './support/benchmarks-section';

/** Per warm contender: ROUNDS × ROUND_MS of timed calls, contenders interleaved within a round (the machine is shared and noisy); ROUNDS = the number of contenders, for the rotation below. */
const ROUNDS = 7;
const ROUND_MS = 400;
/** Hard cap on calls per contender and round, whatever the clock says (it also bounds the latency arrays). */
const MAX_OPS_PER_ROUND = 100_000;
/** Untimed calls per contender before its first round (count and time, whichever comes first). */
const WARMUP_OPS = 5_000;
const WARMUP_MS = 1_000;
/** Untimed calls before each contender's round as well. */
const ROUND_WARMUP_OPS = 1_000;
const ROUND_WARMUP_MS = 50;
/** Cold reads: fresh verifiers (each with a fresh client), and as many bare reads beside them; count and time bound. */
const COLD_SAMPLES = 30;
const COLD_WARMUP_SAMPLES = 3;
const COLD_CAP_MS = 15_000;
/** Fresh `node` processes timing `require('@aws-sdk/client-secrets-manager')`: the SDK load the first read pays in Lambda. */
const SDK_LOAD_RUNS = 5;

const ROUTE_KEY = 'GET /api/orders';

/** Swallows stdout/stderr while `fn` runs. */
async function muted<T>(fn: () => Promise<T>): Promise<T> {
  const out = process.stdout.write;
  const err = process.stderr.write;
  const swallow = (() => true) as typeof process.stdout.write;
  process.stdout.write = swallow;
  process.stderr.write = swallow;
  try {
    return await fn();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/**
 * The origin-verify handler module builds its Lambda entry point at import, from GATEHOUSE_ORIGIN_VERIFY_SECRET_ARN;
 * unset here, it logs one error line. That entry point is never called: the bench builds its own with `createHandler`.
 */
async function loadOriginVerifyHandler(): Promise<typeof import('../lambdas/origin-verify/handler')> {
  return muted(() => import('../lambdas/origin-verify/handler'));
}

// ---------------------------------------------------------------------------------------------------------------------
// Warm contenders

interface Contender {
  readonly group: string;
  readonly name: string;
  readonly what: string;
  /** The contender of the same group this one is compared with; absent on a baseline. */
  readonly baseline?: string;
  /** Exactly one of `sync` and `async`. */
  readonly sync?: () => unknown;
  readonly async?: () => Promise<unknown>;
  /** Whether a result is the answer expected (checked outside the timed span). */
  readonly ok: (result: unknown) => boolean;
  /** Untimed, before each of this contender's rounds. */
  readonly beforeRound?: () => Promise<void>;
}

interface Measurement {
  readonly contender: Contender;
  ops: number;
  ms: number;
  wrongAnswers: number;
  /** Milliseconds per call, allocated up front (ROUNDS × MAX_OPS_PER_ROUND) so that timing never grows an array and no GC it causes lands in another contender's round. */
  readonly latencies: Float64Array;
}

/** Calls one at a time, as a Lambda container serves requests, for `ms` or `maxOps`; one clock read per call (house style). */
async function timedRound(m: Measurement, ms: number, maxOps: number, record: boolean): Promise<void> {
  const { sync, async: op, ok } = m.contender;
  const start = performance.now();
  const deadline = start + ms;
  let t = start;
  let ops = 0;
  let wrong = 0;
  if (sync) {
    while (t < deadline && ops < maxOps) {
      const result = sync();
      const end = performance.now();
      if (record) m.latencies[m.ops + ops] = end - t;
      if (!ok(result)) wrong++;
      t = end;
      ops++;
    }
  } else if (op) {
    while (t < deadline && ops < maxOps) {
      const result = await op();
      const end = performance.now();
      if (record) m.latencies[m.ops + ops] = end - t;
      if (!ok(result)) wrong++;
      t = end;
      ops++;
    }
  }
  if (!record) return;
  m.ops += ops;
  m.ms += t - start;
  m.wrongAnswers += wrong;
}

function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

interface Row {
  readonly contender: Contender;
  readonly opsPerSec: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly ops: number;
  readonly wrongAnswers: number;
}

async function runWarm(list: readonly Contender[], secretCalls: () => number): Promise<{ rows: Row[]; timedSecretCalls: number }> {
  const measurements: Measurement[] = list.map((contender) => ({
    contender,
    ops: 0,
    ms: 0,
    wrongAnswers: 0,
    latencies: new Float64Array(ROUNDS * MAX_OPS_PER_ROUND),
  }));
  for (const m of measurements) {
    await m.contender.beforeRound?.();
    await timedRound(m, WARMUP_MS, WARMUP_OPS, false);
  }
  let timedSecretCalls = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order, so that every contender takes every place in a round: which contender runs right after
    // which moves a contender's p99 by several µs here (in a fixed order, the one after the sync baseline had the worst).
    const order = measurements.map((_, i) => measurements[(i + round) % measurements.length]!);
    for (const m of order) {
      await m.contender.beforeRound?.();
      // A few untimed calls first, so that the switch from the previous contender (GC debt, cold caches) is not timed.
      await timedRound(m, ROUND_WARMUP_MS, ROUND_WARMUP_OPS, false);
      const before = secretCalls();
      await timedRound(m, ROUND_MS, MAX_OPS_PER_ROUND, true);
      timedSecretCalls += secretCalls() - before;
    }
  }
  const rows = measurements.map((m) => {
    const sorted = m.latencies.subarray(0, m.ops).sort();
    return {
      contender: m.contender,
      opsPerSec: (m.ops / m.ms) * 1000,
      p50Us: percentile(sorted, 50) * 1000,
      p99Us: percentile(sorted, 99) * 1000,
      ops: m.ops,
      wrongAnswers: m.wrongAnswers,
    };
  });
  return { rows, timedSecretCalls };
}

// ---------------------------------------------------------------------------------------------------------------------
// Cold reads

interface ColdResult {
  readonly name: string;
  readonly what: string;
  readonly ms: number[];
}

/**
 * Per sample and contender, a fresh client (the same config for all: createSecretsClient's defaults against moto) built
 * untimed, then: one bare GetSecretValue (AWSCURRENT), the baseline; the two GetSecretValue a verifier sends (AWSCURRENT
 * and AWSPREVIOUS) in parallel, bare; a fresh verifier's first `matches`, which sends those two. The order rotates per
 * sample. The SDK module is already loaded in this process (its load in a fresh process is timed apart, by sdkLoadMs).
 * The verifier is the bundled one (bundledCreateOriginVerifier), as Lambda runs it.
 */
async function runCold(
  endpoint: string,
  secretArn: string,
  right: string,
  previous: string,
  logger: Logger,
): Promise<{ results: ColdResult[]; wrong: number }> {
  let wrong = 0;
  const createBundledVerifier = bundledCreateOriginVerifier();
  const read = (client: SecretsManagerClient, stage: string) =>
    client.send(new GetSecretValueCommand({ SecretId: secretArn, VersionStage: stage })).then(({ SecretString }) => SecretString);
  const contenders: { result: ColdResult; sample: (client: SecretsManagerClient) => Promise<boolean> }[] = [
    {
      result: { name: 'bare GetSecretValue (baseline)', what: 'fresh client, one GetSecretValue (AWSCURRENT)', ms: [] },
      sample: async (client) => (await read(client, 'AWSCURRENT')) === right,
    },
    {
      result: {
        name: 'bare GetSecretValue × 2, parallel',
        what: 'fresh client, GetSecretValue AWSCURRENT and AWSPREVIOUS in parallel (what the verifier sends)',
        ms: [],
      },
      sample: async (client) => {
        const [current, before] = await Promise.all([read(client, 'AWSCURRENT'), read(client, 'AWSPREVIOUS')]);
        return current === right && before === previous;
      },
    },
    {
      result: {
        name: 'fresh verifier, first matches',
        what: 'fresh client + createOriginVerifier (from the esbuild bundle), first matches(right value): both reads in parallel, sha256 of each value',
        ms: [],
      },
      sample: (client) => createBundledVerifier({ secretId: secretArn, client, logger }).matches(right),
    },
  ];
  const sample = async (c: (typeof contenders)[number], record: boolean) => {
    const client = secretsClient(endpoint);
    try {
      const t = performance.now();
      const ok = await c.sample(client);
      const ms = performance.now() - t;
      if (!ok) wrong++;
      if (record) c.result.ms.push(ms);
    } finally {
      client.destroy();
    }
  };
  for (let i = 0; i < COLD_WARMUP_SAMPLES; i++) for (const c of contenders) await sample(c, false);
  const deadline = performance.now() + COLD_CAP_MS;
  for (let i = 0; i < COLD_SAMPLES && performance.now() < deadline; i++) {
    for (let k = 0; k < contenders.length; k++) await sample(contenders[(i + k) % contenders.length]!, true);
  }
  return { results: contenders.map((c) => c.result), wrong };
}

/**
 * createOriginVerifier as the Lambda bundle ships it: lambdas/shared/origin-verify.ts built by esbuild with the Lambda
 * options (@aws-sdk/* external, resolved from this repo) and loaded from memory, for the cold rows. From source under
 * tsx, each fresh verifier's lazy `import('./secret-stages')` goes through the ESM loader and costs 1–2 ms even with
 * the module cached; in the bundle it is `Promise.resolve().then(() => init_secret_stages())`.
 */
function bundledCreateOriginVerifier(): typeof createOriginVerifier {
  const { outputFiles } = buildSync({
    ...LAMBDA_BUILD_OPTIONS,
    entryPoints: [join(__dirname, '..', 'lambdas', 'shared', 'origin-verify.ts')],
    outfile: 'origin-verify.js',
    write: false,
  });
  const code = outputFiles[0]?.text;
  if (!code) throw new Error('esbuild produced no bundle of lambdas/shared/origin-verify.ts');
  const loaded = { exports: {} as { createOriginVerifier?: typeof createOriginVerifier } };
  new Function('require', 'module', 'exports', code)(createRequire(__filename), loaded, loaded.exports);
  if (typeof loaded.exports.createOriginVerifier !== 'function') throw new Error('the bundle does not export createOriginVerifier');
  return loaded.exports.createOriginVerifier;
}

/** Medians of `require('@aws-sdk/client-secrets-manager')` in fresh processes: in Lambda the first read loads the SDK (lazily, on that request). */
function sdkLoadMs(): number[] {
  const script = `const t = process.hrtime.bigint(); require('@aws-sdk/client-secrets-manager'); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
  const runs: number[] = [];
  for (let i = 0; i < SDK_LOAD_RUNS; i++) {
    const stdout = execFileSync(process.execPath, ['-e', script], { cwd: join(__dirname, '..'), encoding: 'utf8', timeout: 20_000 });
    runs.push(Number(stdout.trim()));
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

const fmt = (x: number, digits = 0) =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '-';
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const median = (xs: readonly number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

async function main(): Promise<void> {
  const section = new SectionReport('origin-verify');
  const started = performance.now();
  const loadNow = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  const load0 = loadNow();
  const executable = findMotoServer();
  if (executable === undefined) throw new Error(motoMissing('bench:origin-verify'));
  const pkg = (name: string) =>
    (JSON.parse(readFileSync(join(__dirname, '..', 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  const cpu = cpus();
  console.log(
    'Origin-verify benchmark: the X-Origin-Verify check vs a plain comparison, and its cold read from Secrets Manager (moto_server)',
  );
  console.log(
    `  ${new Date().toISOString()}; node ${process.version}, ${cpu.length} CPU(s) (${cpu[0]?.model ?? 'unknown'}), ` +
      `@aws-sdk/client-secrets-manager ${pkg('@aws-sdk/client-secrets-manager')}, Powertools ${pkg('@aws-lambda-powertools/logger')}, esbuild ${pkg('esbuild')}; load average at start ${load0}`,
  );

  const { createHandler: createOriginVerifyHandler } = await loadOriginVerifyHandler();
  const moto = await startMotoServer(executable);
  // Set-up waits as long as moto needs; the verifiers use the handlers' own client settings.
  const admin = secretsClient(moto.endpoint, { requestHandler: { connectionTimeout: 10_000, requestTimeout: 10_000 } });
  const warmClient = secretsClient(moto.endpoint);
  const secretCalls = countGetSecretValue(warmClient);
  try {
    // A secret rotated once, as after the stack's first rotation: AWSCURRENT is the right value, AWSPREVIOUS the one before,
    // so every comparison runs against two digests (the most a verifier holds).
    const previous = originSecretValue();
    const right = originSecretValue();
    const wrong = originSecretValue();
    const secretArn = await createOriginSecret(admin, previous);
    await rotateOriginSecret(admin, secretArn, right);
    /** Equal content, another string object: `===` compares all 48 characters, never just two pointers. */
    const rightCopy = [...right].join('');
    const silent = quietDeps().logger;
    const verifierOf = () => createOriginVerifier({ secretId: secretArn, client: warmClient, logger: silent });

    // Row 1: the verifier alone.
    const warmVerifier = verifierOf();
    let wrongVerifier: OriginVerifier = verifierOf();
    // Row 2: the origin-verify authorizer, and what one would write without Gatehouse: the value held in memory, compared with ===.
    const originHandler: OriginVerifyHandler = createOriginVerifyHandler({ verifier: verifierOf(), ...quietDeps() });
    const naiveHeader = ORIGIN_VERIFY_HEADER.toLowerCase();
    const naiveHandler: OriginVerifyHandler = async (event) => ({ isAuthorized: event.headers?.[naiveHeader] === rightCopy });
    const originEvent = originRequestEvent({ originVerify: right });
    // Row 3: the JWT authorizer on payload 2.0 with a cached token, with and without the check.
    const signing = await signingKey('bench-key-1', 'RS256');
    const config = gatehouseConfig(signing);
    const checkedConfig: AuthorizerConfig = { ...config, originVerify: { header: ORIGIN_VERIFY_HEADER } };
    const now = nowSeconds();
    const token = await signToken(signing, {
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'user-1',
      scope: 'openid orders:read',
      client_id: 'web-client',
      iat: now,
      exp: now + 3600,
    });
    const jwtPlain: AuthorizerHandler = createAuthorizer(config, quietDeps());
    const jwtChecked: AuthorizerHandler = createAuthorizer(checkedConfig, { ...quietDeps(), originVerifier: verifierOf() });
    const jwtEvent = originRequestEvent({ originVerify: right, authorization: `Bearer ${token}`, routeKey: ROUTE_KEY });

    const isTrue = (result: unknown) => result === true;
    const isFalse = (result: unknown) => result === false;
    const authorized = (result: unknown) => (result as { isAuthorized?: unknown }).isAuthorized === true;
    const ROW1 = '1. comparison';
    const ROW2 = '2. origin-verify handler';
    const ROW3 = '3. JWT authorizer, payload 2.0, cached token';
    const list: Contender[] = [
      {
        group: ROW1,
        name: '`a === b` (baseline)',
        what: 'two equal 48-character strings, distinct objects; sync',
        sync: () => right === rightCopy,
        ok: isTrue,
      },
      {
        group: ROW1,
        name: 'verifier.matches(right), warm',
        what: 'createOriginVerifier, values cached (read once before timing): sha256 of the value + timingSafeEqual against 2 digests',
        baseline: '`a === b` (baseline)',
        async: () => warmVerifier.matches(right),
        ok: isTrue,
      },
      {
        group: ROW1,
        name: 'verifier.matches(wrong), in recheck window',
        what: `a value matching neither digest, within ${MISMATCH_RECHECK_MS / 1000} s of the last read: refused without a read (a fresh, read verifier per round keeps it inside the window)`,
        baseline: '`a === b` (baseline)',
        async: () => wrongVerifier.matches(wrong),
        ok: isFalse,
        beforeRound: async () => {
          wrongVerifier = verifierOf();
          if (!(await wrongVerifier.matches(right))) throw new Error('a fresh verifier did not match the right value');
        },
      },
      {
        group: ROW2,
        name: 'naive handler (baseline)',
        what: '`async (event) => ({ isAuthorized: event.headers["x-origin-verify"] === value })`, value held in memory; no hash, no logs, no metrics',
        async: () => naiveHandler(originEvent),
        ok: authorized,
      },
      {
        group: ROW2,
        name: 'origin-verify handler, warm',
        what: 'lambdas/origin-verify createHandler({ verifier, logger, metrics }): payload-2.0 event in, { isAuthorized } out',
        baseline: 'naive handler (baseline)',
        async: () => originHandler(originEvent),
        ok: authorized,
      },
      {
        group: ROW3,
        name: 'without originVerify (baseline)',
        what: 'createHandler(config): Bearer token from the token cache, route check, { isAuthorized, context }',
        async: () => jwtPlain(jwtEvent),
        ok: authorized,
      },
      {
        group: ROW3,
        name: 'with originVerify, warm verifier',
        what: "the same config with originVerify: { header: 'X-Origin-Verify' } and a warm verifier: the header is checked before the token",
        baseline: 'without originVerify (baseline)',
        async: () => jwtChecked(jwtEvent),
        ok: authorized,
      },
    ];

    // Sanity, untimed: each allows the right value and refuses a wrong or missing one (the first calls also read the secret).
    // Muted: a JWT authorizer's deny is counted with its reason through `singleMetric()`, which prints EMF even here.
    const expectAnswer = async (what: string, call: () => Promise<unknown>, expected: boolean) => {
      const result = await muted(call);
      const answer = typeof result === 'boolean' ? result : (result as { isAuthorized: boolean }).isAuthorized;
      if (answer !== expected) throw new Error(`sanity: ${what} answered ${answer}, expected ${expected}`);
    };
    await expectAnswer('verifier, right value', () => warmVerifier.matches(right), true);
    await expectAnswer('verifier, previous value', () => warmVerifier.matches(previous), true);
    await expectAnswer('verifier, wrong value', () => warmVerifier.matches(wrong), false);
    await expectAnswer('origin-verify handler, right value', () => originHandler(originEvent), true);
    await expectAnswer('origin-verify handler, wrong value', () => originHandler(originRequestEvent({ originVerify: wrong })), false);
    await expectAnswer('origin-verify handler, no header', () => originHandler(originRequestEvent()), false);
    await expectAnswer('JWT authorizer with the check, right value', () => jwtChecked(jwtEvent), true);
    await expectAnswer(
      'JWT authorizer with the check, wrong value',
      () => jwtChecked(originRequestEvent({ originVerify: wrong, authorization: `Bearer ${token}` })),
      false,
    );
    await expectAnswer(
      'JWT authorizer without the check, no header',
      () => jwtPlain(originRequestEvent({ authorization: `Bearer ${token}` })),
      true,
    );
    console.log(
      `  secret rotated once (AWSCURRENT + AWSPREVIOUS, ${right.length} characters each); sanity: every contender allows the right value and the check refuses a wrong or missing one`,
    );
    console.log(
      `  warm: calls sequential; per contender ${ROUNDS} rounds × ${ROUND_MS} ms (≤ ${MAX_OPS_PER_ROUND.toLocaleString('en-US')} calls), contenders interleaved, after ≤ ${WARMUP_OPS} untimed calls\n`,
    );

    const warm = await runWarm(list, secretCalls);
    const cold = await runCold(moto.endpoint, secretArn, right, previous, silent);
    const sdkLoad = sdkLoadMs();

    const outdir = mkdtempSync(join(tmpdir(), 'gatehouse-origin-verify-bench-'));
    let bundles: { name: string; bytes: number; gzip: number }[];
    try {
      const originBundle = bundleHandler('origin-verify/handler', join(outdir, 'origin-verify'));
      const authorizerBundle = bundleHandler('authorizer/handler', join(outdir, 'authorizer'), {
        [CONFIG_GLOBAL]: JSON.stringify(checkedConfig),
      });
      bundles = [
        { name: 'origin-verify/handler', ...originBundle },
        { name: 'authorizer/handler (config with originVerify baked in)', ...authorizerBundle },
      ].map((b) => ({ name: b.name, bytes: b.bytes, gzip: gzipSync(readFileSync(b.file)).length }));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }

    // Report.
    console.log('Contenders:');
    for (const c of list) console.log(`  ${c.name.padEnd(44)} ${c.what}`);
    const byName = new Map(warm.rows.map((r) => [r.contender.name, r]));
    const warmRows = warm.rows.map((r) => {
      const base = r.contender.baseline === undefined ? undefined : byName.get(r.contender.baseline);
      return [
        r.contender.group,
        r.contender.name,
        fmt(r.opsPerSec),
        fmt(r.p50Us, 2),
        fmt(r.p99Us, 2),
        base ? fmt(r.p50Us - base.p50Us, 2) : '–',
        base ? fmt(r.opsPerSec / base.opsPerSec, 2) : '–',
        base ? fmt(r.p50Us / base.p50Us, 2) : '–',
        base ? fmt(r.p99Us / base.p99Us, 2) : '–',
        fmt(r.ops),
      ];
    });
    const wrongAnswers = warm.rows.reduce((s, r) => s + r.wrongAnswers, 0);
    section.add(
      "Warm, one call at a time (latency per call includes the loop and one `performance.now()`; ratios against the group's baseline):",
      '',
      table(
        ['row', 'contender', 'ops/s', 'p50 µs', 'p99 µs', 'added p50 µs', 'ops/s ratio', 'p50 ratio', 'p99 ratio', 'calls timed'],
        warmRows,
      ),
      '',
      `Unexpected answers during timing: ${wrongAnswers}; GetSecretValue calls during the timed warm rounds: ${warm.timedSecretCalls}.`,
    );
    const verifierRow = byName.get('verifier.matches(right), warm');
    const handlerRow = byName.get('origin-verify handler, warm');
    if (verifierRow && handlerRow) {
      section.add(
        `The origin-verify handler around the verifier (event read, \`try/finally\`, metrics check): +${fmt(handlerRow.p50Us - verifierRow.p50Us, 2)} µs at p50.`,
      );
    }

    const [bareCold] = cold.results;
    const coldRows = cold.results.map((c) => [
      c.name,
      String(c.ms.length),
      fmt(median(c.ms), 2),
      fmt(
        percentile(
          [...c.ms].sort((a, b) => a - b),
          99,
        ),
        2,
      ),
      fmt(mean(c.ms), 2),
      c === bareCold || !bareCold ? '–' : fmt(median(c.ms) / median(bareCold.ms), 2),
    ]);
    section.add(
      '',
      `4. Cold read against moto_server on loopback (p99 of ${bareCold?.ms.length ?? 0} samples = the slowest; ratio = p50 / baseline p50):`,
      '',
      table(['contender', 'samples', 'p50 ms', 'p99 ms', 'mean ms', 'p50 ratio'], coldRows),
      '',
      `Unexpected answers: ${cold.wrong}. SDK load the first read also pays in Lambda: \`require('@aws-sdk/client-secrets-manager')\` in a fresh node ` +
        `process, median of ${sdkLoad.length}: ${fmt(median(sdkLoad), 1)} ms (range ${fmt(Math.min(...sdkLoad), 1)}–${fmt(Math.max(...sdkLoad), 1)}).`,
      '',
      'Bundles (`bundleHandler`, minified, `@aws-sdk/*` left to the runtime):',
      '',
      table(
        ['bundle', 'bytes', 'minified', 'gzipped'],
        bundles.map((b) => [b.name, fmt(b.bytes), kb(b.bytes), kb(b.gzip)]),
      ),
    );
    for (const c of cold.results) console.log(`  ${c.name}: ${c.what}`);
    const [originBytes, authorizerBytes] = bundles.map((b) => b.bytes);
    if (originBytes !== undefined && authorizerBytes !== undefined)
      section.add('', `The origin-verify bundle is ${fmt(originBytes / authorizerBytes, 2)}× the JWT authorizer's.`);
  } finally {
    admin.destroy();
    warmClient.destroy();
    await moto.stop();
  }
  console.log(
    `\n  total benchmark time ${((performance.now() - started) / 1000).toFixed(1)} s; load average at start ${load0}, at end ${loadNow()}`,
  );
  section.finish(
    `@aws-sdk/client-secrets-manager ${pkg('@aws-sdk/client-secrets-manager')}, Powertools ${pkg('@aws-lambda-powertools/logger')}, esbuild ${pkg('esbuild')}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
