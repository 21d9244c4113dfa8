// The plan's last step: its errors and warnings point at the config file (file:line:col), and acknowledged warnings are set apart.
import { ConfigError, formatPath } from '../config/errors';
import type { GatehouseSpec } from '../config/schema';
import type { Acknowledgement } from '../config/acknowledge-schema';
import { locateIssue, parsePath, sourceOf, type ConfigSource } from '../config/source';
import type { AcknowledgedWarning, Plan, PlanWarning } from './types';

/** Runs the planner; a ConfigError it throws is rethrown with positions from the spec's source. */
export function finishPlan(spec: GatehouseSpec, plan: () => Omit<Plan, 'acknowledged'>): Plan {
  const source = sourceOf(spec);
  let planned: Omit<Plan, 'acknowledged'>;
  try {
    planned = plan();
  } catch (err) {
    if (err instanceof ConfigError && source) throw new ConfigError(err.issues.map((i) => locateIssue(i, source)));
    throw err;
  }
  const acknowledgements = spec.acknowledge ?? [];
  const kept: PlanWarning[] = [];
  const acknowledged: AcknowledgedWarning[] = [];
  const used = new Set<number>();
  for (const warning of planned.warnings.map((w) => locateWarning(w, source))) {
    const index = acknowledgements.findIndex((a) => covers(a, warning));
    if (index < 0) {
      kept.push(warning);
      continue;
    }
    used.add(index);
    acknowledged.push({ ...warning, reason: acknowledgements[index]!.reason });
  }
  // An acknowledgement that silences nothing is stale (the warning was fixed) or mistyped (it never silenced anything).
  acknowledgements.forEach((a, i) => {
    if (used.has(i)) return;
    kept.push(
      locateWarning(
        {
          code: 'ACKNOWLEDGEMENT_UNUSED',
          where: formatPath(['acknowledge', i]),
          message: `no ${a.code} warning${a.where ? ` at ${a.where}` : ''} to acknowledge; remove the entry (the warning is gone) or correct its code or where`,
        },
        source,
      ),
    );
  });
  return { ...planned, warnings: kept, acknowledged };
}

function covers(a: Acknowledgement, w: PlanWarning): boolean {
  if (a.code !== w.code) return false;
  if (a.where === undefined) return true;
  return w.where === a.where || w.where.startsWith(`${a.where}.`) || w.where.startsWith(`${a.where}[`);
}

export function locateWarning(warning: PlanWarning, source: ConfigSource | undefined): PlanWarning {
  if (!source || warning.line !== undefined) return warning;
  const at = locateIssue({ path: parsePath(warning.where), where: warning.where, message: warning.message }, source);
  return { ...warning, file: at.file, line: at.line, column: at.column };
}
