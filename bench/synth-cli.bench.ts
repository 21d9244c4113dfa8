// `npx cdk synth -q` of the shipped gatehouse.yaml as a user runs it: before the speed-ups, each of them, and now.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { provenance, writeSection } from './support/benchmarks-section';

const root = join(__dirname, '..');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const write = process.argv.includes('--write');

interface Variant {
  readonly name: string;
  readonly app?: string;
  readonly env: Record<string, string>;
  /** A fresh, empty bundle cache for every run (a cold cache, as on a fresh clone after `npm ci`). */
  readonly coldCache?: boolean;
}

const warmCache = mkdtempSync(join(tmpdir(), 'gatehouse-bench-bundles-'));
const variants: Variant[] = [
  {
    name: 'before: `npx tsx` app, CDK validation on, no bundle cache',
    app: 'npx tsx bin/app.ts',
    env: { CDK_VALIDATION: 'true', GATEHOUSE_BUNDLE_CACHE: 'off' },
  },
  { name: 'CDK validation on (CDK_VALIDATION=true), the rest as now', env: { CDK_VALIDATION: 'true', GATEHOUSE_BUNDLE_CACHE: warmCache } },
  { name: '`npx tsx` app, the rest as now', app: 'npx tsx bin/app.ts', env: { GATEHOUSE_BUNDLE_CACHE: warmCache } },
  { name: 'now, cold bundle cache', env: {}, coldCache: true },
  { name: 'now (defaults), warm bundle cache', env: { GATEHOUSE_BUNDLE_CACHE: warmCache } },
];

/** One `npx cdk synth -q` under /usr/bin/time: wall seconds and the CPU seconds of the whole process tree. */
function synthOnce(variant: Variant): { wall: number; cpu: number } {
  const outdir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-cdkout-'));
  const timing = join(outdir, 'time.txt');
  const cache = variant.coldCache ? mkdtempSync(join(tmpdir(), 'gatehouse-bench-cold-')) : undefined;
  const args = [
    '-f',
    '%e %U %S',
    '-o',
    timing,
    'npx',
    'cdk',
    'synth',
    '-q',
    '-o',
    join(outdir, 'cdk.out'),
    ...(variant.app ? ['--app', variant.app] : []),
  ];
  const env = { ...process.env, ...variant.env, ...(cache ? { GATEHOUSE_BUNDLE_CACHE: cache } : {}) };
  delete (env as Record<string, string | undefined>).CDK_OUTDIR;
  if (!variant.env.CDK_VALIDATION) delete (env as Record<string, string | undefined>).CDK_VALIDATION;
  const r = spawnSync('/usr/bin/time', args, { cwd: root, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cdk synth failed for "${variant.name}":\n${r.stderr}`);
  const [wall, user, sys] = readFileSync(timing, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  rmSync(outdir, { recursive: true, force: true });
  if (cache) rmSync(cache, { recursive: true, force: true });
  return { wall: wall!, cpu: user! + sys! };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function main(): void {
  const loadAtStart = loadavg();
  const started = Date.now();
  // Warms the bundle cache and tsx's transform cache, untimed.
  synthOnce(variants[variants.length - 1]!);
  const samples = new Map(variants.map((v) => [v.name, [] as { wall: number; cpu: number }[]]));
  for (let i = 0; i < runs; i++) {
    // Interleaved, and rotated each round, so a load spike hits every variant alike.
    for (let j = 0; j < variants.length; j++) {
      const v = variants[(i + j) % variants.length]!;
      const s = synthOnce(v);
      samples.get(v.name)!.push(s);
      process.stderr.write(`${v.name}: ${s.wall.toFixed(2)} s wall, ${s.cpu.toFixed(2)} s CPU\n`);
    }
  }
  rmSync(warmCache, { recursive: true, force: true });
  const cdkVersion = execFileSync('npx', ['cdk', '--version'], { cwd: root, encoding: 'utf8' }).trim().split(' ')[0];
  const rows = variants.map((v) => {
    const s = samples.get(v.name)!;
    const walls = s.map((x) => x.wall);
    return `| ${v.name} | ${median(walls).toFixed(1)} | ${Math.min(...walls).toFixed(1)}–${Math.max(...walls).toFixed(1)} | ${median(s.map((x) => x.cpu)).toFixed(1)} |`;
  });
  const markdown = [
    provenance(loadAtStart),
    `aws-cdk CLI ${cdkVersion}; ${runs} runs per variant, interleaved; whole bench ${Math.round((Date.now() - started) / 1000)} s.`,
    '',
    '| `npx cdk synth -q` of gatehouse.yaml | wall s, median | wall s, range | CPU s (user + sys, all processes), median |',
    '| ------------------------------------ | -------------- | ------------- | ----------------------------------------- |',
    ...rows,
  ].join('\n');
  console.log(markdown);
  if (write) writeSection('synth-cli', markdown);
}

main();
