// A path rewrite rule (`match` a `{name}` / `{name+}` template, render `to`): its placeholders and the check the planner and the proxy share.
import type { PathRewrite } from './proxy-config';
import { captureNames, parsePathTemplate } from './path-template';

/** `{id}` or `{rest+}` (a capture of `match`), or `{path.id}` (a parameter of the route's path). */
export const REWRITE_PLACEHOLDER = /\{([^{}]*)\}/g;
const PLACEHOLDER_NAME = /^([A-Za-z_][A-Za-z0-9_]*)\+?$/;
/** The inside of `{path.id}`: a parameter of the route's path rather than a capture of `match`. */
export const ROUTE_PARAMETER_NAME = /^path\.([A-Za-z_][A-Za-z0-9_]*)$/;

/** Why a rule cannot be used, naming `match` or `to`; undefined when it is sound. */
export function pathRewriteProblem(rule: PathRewrite): { field: 'match' | 'to'; problem: string } | undefined {
  const parsed = parsePathTemplate(rule.match);
  if ('problem' in parsed) return { field: 'match', problem: parsed.problem };
  const names = captureNames(parsed.segments);
  if (!rule.to.startsWith('/')) return { field: 'to', problem: 'must start with /' };
  if (/[?#]/.test(rule.to)) return { field: 'to', problem: 'must be a path only (no ? or #)' };
  if (/[{}]/.test(rule.to.replace(REWRITE_PLACEHOLDER, ''))) return { field: 'to', problem: 'has an unbalanced { or }' };
  for (const [, inner = ''] of rule.to.matchAll(REWRITE_PLACEHOLDER)) {
    if (ROUTE_PARAMETER_NAME.test(inner)) continue;
    const name = PLACEHOLDER_NAME.exec(inner)?.[1];
    if (name === undefined || !names.includes(name)) {
      return { field: 'to', problem: `uses {${inner}}, which match does not capture (a parameter of the route's path is {path.name})` };
    }
  }
  return undefined;
}
