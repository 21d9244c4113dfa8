// What validate and explain both run: load, plan, and the checks the shipped stack makes at synth; one ConfigError with every problem.
import { loadConfig } from '../config/load';
import { ConfigError, type SpecIssue } from '../config/errors';
import type { GatehouseSpec } from '../config/schema';
import { locateIssue, sourceOf } from '../config/source';
import { shippedStackIssues } from '../config/stack-rules';
import { planSpec } from '../plan/plan';
import { DEFAULT_STACK_NAME } from '../plan/observability';
import type { Plan } from '../plan/types';

export interface CheckedConfig {
  readonly spec: GatehouseSpec;
  readonly plan: Plan;
}

/** Throws a ConfigError listing the planner's problems and the stack's together, each at file:line:col. */
export function checkConfig(file: string): CheckedConfig {
  const spec = loadConfig(file);
  const stackIssues: SpecIssue[] = shippedStackIssues(spec).map((i) => locateIssue(i, sourceOf(spec)));
  let plan: Plan;
  try {
    // Named as `cdk synth` of the shipped app names them: APIs, alarms and dashboards carry the stack's name.
    plan = planSpec(spec, { stackName: DEFAULT_STACK_NAME });
  } catch (err) {
    if (err instanceof ConfigError && stackIssues.length) throw new ConfigError([...err.issues, ...stackIssues]);
    throw err;
  }
  if (stackIssues.length) throw new ConfigError(stackIssues);
  return { spec, plan };
}
