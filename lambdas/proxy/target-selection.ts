// Chooses the target of one request: a version rule (query, then header) pins it, otherwise a weighted draw among targets whose breaker admits.
import type { HeaderVersionRule, ProxyTarget, VersionRule } from '../contract/proxy-config';
import type { HeaderMap } from './transform';

export type Selection<P> =
  | { readonly kind: 'chosen'; readonly target: ProxyTarget; readonly permit: P; readonly pinned: boolean }
  /** Every eligible target refused (its breaker is open): the pinned one, or all with weight. */
  | { readonly kind: 'refused'; readonly refused: readonly ProxyTarget[]; readonly pinned: boolean };

/**
 * `admit` asks a target's breaker for a permit and is called only for a target about to be used, so a
 * half-open breaker spends its probe on a request it really sends. A refusing target leaves this
 * request's draw; it is back in rotation as soon as its breaker admits again (half-open).
 */
export function selectTarget<P>(
  targets: readonly ProxyTarget[],
  rules: readonly VersionRule[],
  request: { readonly headers: HeaderMap; readonly query: Readonly<Record<string, readonly string[]>> },
  admit: (target: ProxyTarget) => P | undefined,
  random: () => number,
): Selection<P> {
  const pinnedName = pinnedTargetName(rules, request.headers, request.query);
  if (pinnedName !== undefined) {
    const target = targets.find((candidate) => candidate.name === pinnedName);
    if (target !== undefined) {
      const permit = admit(target);
      return permit === undefined ? { kind: 'refused', refused: [target], pinned: true } : { kind: 'chosen', target, permit, pinned: true };
    }
  }
  let candidates = targets.filter((target) => target.weight > 0);
  const refused: ProxyTarget[] = [];
  // Bounded by the number of targets: each pass removes one.
  while (candidates.length > 0) {
    const target = pickWeighted(candidates, random);
    const permit = admit(target);
    if (permit !== undefined) return { kind: 'chosen', target, permit, pinned: false };
    refused.push(target);
    candidates = candidates.filter((candidate) => candidate !== target);
  }
  return { kind: 'refused', refused, pinned: false };
}

/**
 * The target the first matching rule names, if any: query rules first, then header rules. A query
 * parameter is what a person adds to a URL to ask for a version on purpose; headers such as Accept are
 * often set by a client library for every call, so the explicit query wins when both are present.
 */
export function pinnedTargetName(
  rules: readonly VersionRule[],
  headers: HeaderMap,
  query: Readonly<Record<string, readonly string[]>> = {},
): string | undefined {
  const byQuery = rules.find(
    (rule) => 'query' in rule && (Object.hasOwn(query, rule.query) ? query[rule.query]! : []).includes(rule.value),
  );
  if (byQuery) return byQuery.target;
  return rules.find((rule) => 'header' in rule && headerRuleMatches(rule, headers[rule.header.toLowerCase()] ?? []))?.target;
}

function headerRuleMatches(rule: HeaderVersionRule, values: readonly string[]): boolean {
  const wanted = rule.header.toLowerCase() === 'accept' ? mediaType(rule.value) : rule.value.trim().toLowerCase();
  if (rule.header.toLowerCase() === 'accept') {
    return values.flatMap((value) => value.split(',')).some((range) => mediaType(range) === wanted);
  }
  return values.some((value) => value.trim().toLowerCase() === wanted);
}

/** `Application/VND.orders.v2+json; q=0.9` → `application/vnd.orders.v2+json`. */
function mediaType(range: string): string {
  return (range.split(';')[0] ?? '').trim().toLowerCase();
}

/** One draw in proportion to the weights; `candidates` is non-empty and every weight positive. */
export function pickWeighted<T extends { readonly weight: number }>(candidates: readonly T[], random: () => number): T {
  const total = candidates.reduce((sum, candidate) => sum + candidate.weight, 0);
  let point = Math.min(Math.max(random(), 0), 1) * total;
  for (const candidate of candidates) {
    point -= candidate.weight;
    if (point < 0) return candidate;
  }
  // random() returned 1 (or rounding left a sliver): the last one.
  return candidates[candidates.length - 1] as T;
}
