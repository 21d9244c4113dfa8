// Header transformation: Kong operations with case-insensitive names (the rules a configured header follows are in lambdas/contract/header-rules.ts).
import type { JsonValue, TransformOps } from '../../contract/proxy-config';
import { applyMultiValueOps, multiValueOpsFor } from './field-ops';
import type { HeaderMap } from '../../shared/apigw/messages';

/** Applies the header operations of `transform` to a copy of `headers` (names already lower-case). */
export function transformHeaders(headers: HeaderMap, transform: TransformOps<JsonValue>): HeaderMap {
  return applyMultiValueOps(headers, multiValueOpsFor(transform, 'headers'), (name) => name.toLowerCase());
}
