// How checks state their verdicts: pass, fail or skip, always with a one-line reason and what was seen.
import { evidenceOf, type Probe } from './client';
import type { CheckOutcome, Evidence } from './types';

export const pass = (reason: string, ...evidence: Evidence[]): CheckOutcome => ({ status: 'pass', reason, evidence });
export const fail = (reason: string, ...evidence: Evidence[]): CheckOutcome => ({ status: 'fail', reason, evidence });
export const skip = (reason: string, ...evidence: Evidence[]): CheckOutcome => ({ status: 'skip', reason, evidence });

/** The verdict of a check that expects one answer: fail with the transport's error when there was none. */
export function judge(
  probe: Probe,
  expectation: (status: number, headers: Readonly<Record<string, string>>, body: string) => string | undefined,
  passed: string,
): CheckOutcome {
  const evidence = evidenceOf(probe);
  if (!probe.response) return fail(`no answer: ${probe.error}`, evidence);
  const problem = expectation(probe.response.status, probe.response.headers, probe.response.body);
  return problem ? fail(problem, evidence) : pass(passed, evidence);
}
