// `npm run test:load`: the test suite (or the files named) under artificial CPU load, to prove no test depends on an idle machine.
// Spawns busy-loop processes (GATEHOUSE_LOAD_PROCESSES, default 5 per core: a load average of about 10× an idle
// 2-core machine's), runs `vitest run` with the rest of the arguments, then stops the busy loops it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { TIME_FACTOR_ENV, timeFactor } from './time-factor';

const BUSY_LOOP = 'for (;;) { Math.sqrt(Math.random()); }';

function main(): void {
  const cores = cpus().length;
  const processes = Number(process.env.GATEHOUSE_LOAD_PROCESSES ?? 5 * cores);
  if (!Number.isInteger(processes) || processes < 0)
    throw new Error(`GATEHOUSE_LOAD_PROCESSES must be a whole number, got ${process.env.GATEHOUSE_LOAD_PROCESSES}`);
  // Every busy loop competes for the cores with the tests, on top of whatever already runs (timeFactor reads the
  // load average, which lags by a minute), so deadlines stretch with both.
  const factor = process.env[TIME_FACTOR_ENV] ?? String(timeFactor() + Math.ceil(processes / cores));
  const busy: ChildProcess[] = [];
  for (let i = 0; i < processes; i += 1) busy.push(spawn(process.execPath, ['-e', BUSY_LOOP], { stdio: 'ignore' }));
  const stopBusy = () => {
    for (const child of busy) if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.on('exit', stopBusy);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

  process.stderr.write(`test:load: ${processes} busy-loop processes on ${cores} cores, ${TIME_FACTOR_ENV}=${factor}\n`);
  const started = Date.now();
  const vitest = spawn(process.execPath, [join(__dirname, '../../node_modules/vitest/vitest.mjs'), 'run', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [TIME_FACTOR_ENV]: factor },
  });
  vitest.on('exit', (code, signal) => {
    stopBusy();
    process.stderr.write(
      `test:load: vitest ${code === 0 ? 'passed' : 'failed'} in ${Math.round((Date.now() - started) / 1000)} s under load\n`,
    );
    process.exit(code ?? (signal ? 1 : 0));
  });
}

main();
