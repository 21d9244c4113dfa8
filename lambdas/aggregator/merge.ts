// Merges the parts' outcomes into one answer: each part under its name, optional failures degraded to their fallback, a required failure to an error.
import type { JsonValue, PartConfig } from '../contract/aggregator-config';
import type { PartError, PartErrorCode, RetryStats } from './errors';

/** How one part ended. */
export type PartOutcome =
  | { readonly kind: 'answered'; readonly value: JsonValue; readonly ms: number; readonly attempts: number; readonly retries: RetryStats }
  | { readonly kind: 'failed'; readonly error: PartError; readonly ms: number };

/** The error body of a failed aggregate: `{message: 'part "profile" failed: upstream_timeout', code, part}`. */
export interface AggregateErrorBody {
  readonly message: string;
  readonly code: string;
  readonly part?: string;
}

export type MergeResult =
  | {
      readonly kind: 'merged';
      /** Every part by name, in the config's order; a degraded part holds its fallback (or null). */
      readonly data: Record<string, JsonValue>;
      /** Optional parts that failed, in the config's order. */
      readonly partial: readonly string[];
    }
  | {
      readonly kind: 'failed';
      readonly statusCode: number;
      readonly body: AggregateErrorBody & { readonly code: PartErrorCode; readonly part: string };
    };

/**
 * Pure. A required part that failed makes the whole answer fail; when several did, the first in
 * `order` (topological, so the cause before the parts that depended on it) is the one reported.
 */
export function mergeParts(
  parts: Readonly<Record<string, PartConfig>>,
  order: readonly string[],
  outcomes: ReadonlyMap<string, PartOutcome>,
): MergeResult {
  for (const name of order) {
    const outcome = outcomes.get(name);
    if (outcome?.kind === 'failed' && !parts[name]?.optional) {
      const { code, statusCode } = outcome.error;
      return { kind: 'failed', statusCode, body: { message: `part ${JSON.stringify(name)} failed: ${code}`, code, part: name } };
    }
  }
  const data: Record<string, JsonValue> = {};
  const partial: string[] = [];
  for (const [name, part] of Object.entries(parts)) {
    const outcome = outcomes.get(name);
    if (outcome?.kind === 'answered') {
      data[name] = outcome.value;
    } else {
      data[name] = part.fallback ?? null;
      partial.push(name);
    }
  }
  return { kind: 'merged', data, partial };
}
