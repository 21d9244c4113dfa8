// Query-string transformation: Kong operations on decoded names, matched exactly (query names are case-sensitive).
import type { JsonValue, TransformOps } from '../../contract/proxy-config';
import { applyMultiValueOps, multiValueOpsFor } from './field-ops';

/** Applies the querystring operations of `transform` to a copy of `query`. */
export function transformQuery(
  query: Readonly<Record<string, readonly string[]>>,
  transform: TransformOps<JsonValue>,
): Record<string, string[]> {
  return applyMultiValueOps(query, multiValueOpsFor(transform, 'querystring'), (name) => name);
}
