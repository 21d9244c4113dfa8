// Runs every bench, one after the other, with the same flags: `npm run bench -- --write` regenerates every generated
// section of BENCHMARKS.md. Names select benches (`npm run bench -- --write breaker proxy`); other arguments go to each bench.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** In this order: the deterministic ones first (seconds), then the timed ones, the longest (synth, synth-cli) last but one. */
const BENCHES = [
  'sizes',
  'vpc-links',
  'lambda-routes',
  'breaker',
  'proxy',
  'aggregate',
  'ratelimit',
  'origin-verify',
  'authorizer',
  'local',
  'synth',
  'synth-cli',
] as const;

const args = process.argv.slice(2);
const chosen = args.filter((a) => (BENCHES as readonly string[]).includes(a));
const forwarded = args.filter((a) => !chosen.includes(a));
// A word that is neither a bench nor a flag's value (`--runs 3`) is a mistyped name: running every bench instead would take minutes.
const unknown = forwarded.filter((a, i) => !a.startsWith('-') && !(forwarded[i - 1] ?? '').startsWith('-'));
if (unknown.length > 0) throw new Error(`No bench named ${unknown.join(', ')}; the benches: ${BENCHES.join(', ')}`);
const failed: string[] = [];
for (const name of chosen.length > 0 ? BENCHES.filter((b) => chosen.includes(b)) : BENCHES) {
  console.log(`\n=== bench:${name} ${forwarded.join(' ')}`.trimEnd());
  // Each bench in its own process, as `npm run bench:<name>` runs it: no module state or warm JIT carried from one to the next.
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, `${name}.bench.ts`), ...forwarded], { stdio: 'inherit' });
  if (run.status !== 0) failed.push(`${name} (${run.signal ?? `exit ${run.status}`})`);
}
if (failed.length > 0) {
  console.error(`\nFailed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
