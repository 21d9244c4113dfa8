// Cross-field rules of one service (url vs targets is in the schema): targets that can be told apart and reached, retry settings that agree.
import { checkTransformConfig } from '../../lambdas/contract/transform-check';
import type { RawIssue } from './errors';
import { versionMatchOf, type ServiceSpec } from './service-schema';

export function checkServiceRules(name: string, service: ServiceSpec): RawIssue[] {
  const at = ['services', name];
  const issues: RawIssue[] = [];
  const targets = service.targets ?? [];
  const names = targets.map((t, i) => t.name ?? `t${i}`);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i)
      issues.push({
        path: [...at, 'targets', i, 'name'],
        message: `target name "${n}" is used twice; names key each target's breaker and metrics`,
      });
  });
  if (targets.length > 0 && targets.every((t) => t.weight === 0)) {
    issues.push({
      path: [...at, 'targets'],
      message: 'every target has weight 0, so requests that no match pins have nowhere to go: give at least one target a weight',
    });
  }
  const pins = new Map<string, number>();
  targets.forEach((t, i) => {
    const { headers, query } = versionMatchOf(t.match);
    // Header names and values compare ignoring case; query names and values exactly, as the proxy compares them.
    const keyed = [
      ...Object.entries(headers).map(([header, value]) => ({
        key: `${header.toLowerCase()}: ${value.toLowerCase()}`,
        path: [header],
        shown: `${header}: ${value}`,
      })),
      ...Object.entries(query).map(([name, value]) => ({
        key: `?${name}=${value}`,
        path: ['query', name],
        shown: `query ${name}=${value}`,
      })),
    ];
    for (const { key, path, shown } of keyed) {
      const other = pins.get(key);
      if (other !== undefined && other !== i) {
        issues.push({ path: [...at, 'targets', i, 'match', ...path], message: `${shown} already pins requests to targets[${other}]` });
      }
      pins.set(key, i);
    }
  });
  if (service.retries && service.retries.maxDelayMs < service.retries.baseDelayMs) {
    issues.push({
      path: [...at, 'retries', 'maxDelayMs'],
      message: `maxDelayMs (${service.retries.maxDelayMs}) must not be below baseDelayMs (${service.retries.baseDelayMs})`,
    });
  }
  if (service.transform) issues.push(...transformIssues(at, service.transform));
  return issues;
}

/**
 * The proxy checks a transform again at init; running the same check here turns a bad JSON path,
 * header or rewrite into a config error at synth instead of a function that fails to start.
 */
function transformIssues(at: readonly string[], transform: NonNullable<ServiceSpec['transform']>): RawIssue[] {
  try {
    checkTransformConfig(transform);
    return [];
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    const [where = '', ...rest] = err.message.split(': ');
    const path = [...where.matchAll(/([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)].map(
      (m) => m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]!) as string)),
    );
    return path[0] === 'transform'
      ? [{ path: [...at, ...path], message: rest.join(': ') }]
      : [{ path: [...at, 'transform'], message: err.message }];
  }
}
