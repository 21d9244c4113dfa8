// What validate and explain both run: load, plan, and the checks the shipped stack makes at synth; one SpecError with every problem.
import { loadSpec } from '../spec/load';
import { SpecError, type SpecIssue } from '../spec/errors';
import type { GatehouseSpec } from '../spec/schema';
import { locateIssue, sourceOf } from '../spec/source';
import { shippedStackIssues } from '../spec/stack-rules';
import { planSpec } from '../plan/plan';
import { DEFAULT_STACK_NAME } from '../plan/observability';
import type { Plan } from '../plan/types';

export interface CheckedConfig {
  readonly spec: GatehouseSpec;
  readonly plan: Plan;
}

/** Throws a SpecError listing the planner's problems and the stack's together, each at file:line:col. */
export function checkConfig(file: string): CheckedConfig {
  const spec = loadSpec(file);
  const stackIssues: SpecIssue[] = shippedStackIssues(spec).map((i) => locateIssue(i, sourceOf(spec)));
  let plan: Plan;
  try {
    // Named as `cdk synth` of the shipped app names them: APIs, alarms and dashboards carry the stack's name.
    plan = planSpec(spec, { stackName: DEFAULT_STACK_NAME });
  } catch (err) {
    if (err instanceof SpecError && stackIssues.length) throw new SpecError([...err.issues, ...stackIssues]);
    throw err;
  }
  if (stackIssues.length) throw new SpecError(stackIssues);
  return { spec, plan };
}
