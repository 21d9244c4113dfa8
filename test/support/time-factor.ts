// How much longer than on an idle machine a test may wait for real work (child processes, moto, sockets): load stretches all of it.
import { cpus, loadavg } from 'node:os';

/** Set to a number ≥ 1 to stretch every deadline by it (`npm run test:load` sets it); unset, the load decides. */
export const TIME_FACTOR_ENV = 'GATEHOUSE_TEST_TIME_FACTOR';

/**
 * The factor: `GATEHOUSE_TEST_TIME_FACTOR` when set, otherwise the 1-minute load average per core, rounded up
 * (1 on an idle machine, 10 at a load of 20 on 2 cores). Only deadlines grow with it, never what a test expects.
 */
export function timeFactor(env: NodeJS.ProcessEnv = process.env, load: number = loadavg()[0] ?? 0, cores: number = cpus().length): number {
  const set = Number(env[TIME_FACTOR_ENV]);
  if (env[TIME_FACTOR_ENV] !== undefined && Number.isFinite(set) && set >= 1) return set;
  return Math.max(1, Math.ceil(load / Math.max(1, cores)));
}

/** This test process's factor, read once when it starts. */
export const TIME_FACTOR = timeFactor();

/** A deadline or slack of `ms` on an idle machine, stretched by TIME_FACTOR. */
export function scaled(ms: number): number {
  return Math.round(ms * TIME_FACTOR);
}
