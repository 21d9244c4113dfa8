// What a user writes under `gateways.<name>.aggregates`: BFF routes composed from several services.
// Checked against lib/config/aggregate-schema.ts by test/config/spec-types.check.ts.
import type { RouteAuthSpec } from './auth';
import type { FunctionSpec, JsonValue } from './service';
import type { ThrottleSpec } from './throttle';

/** One call of an aggregate; its answer lands under the part's name. */
export interface AggregatePartSpec {
  /** Name of an entry under `services` (its url, timeoutMs, retries and circuitBreaker apply). */
  readonly service: string;
  /** Path and query appended to the service's url; `{claims.x}`, `{path.x}` (a parameter of the aggregate's path), `{query.x}`, `{<part>.<dot.path>}` are filled in, URL-encoded. */
  readonly path: string;
  /** A failing optional part answers `fallback` (or null) and is listed in `partial`. @default false */
  readonly optional?: boolean;
  /** Deadline of each attempt. @default - the service's timeoutMs */
  readonly timeoutMs?: number;
  /** What an optional part answers when it fails. @default null */
  readonly fallback?: JsonValue;
}

/** A GET route answered by calling several services in parallel and merging their answers. */
export interface AggregateSpec {
  /** Names the aggregate in `from` references and `gatehouse explain`. @default - the path's last literal segment */
  readonly name?: string;
  /** One exact path, e.g. /api/dashboard; `{name}` segments are path parameters (`/api/orders/{id}/summary`), used by parts as `{path.name}`. */
  readonly path: string;
  /** Aggregates answer GET only. @default GET */
  readonly method?: 'GET';
  /** Who may call it, as for routes. @default - anyone */
  readonly auth?: RouteAuthSpec;
  /** Require an API key of a consumer on one of the gateway's plans. @default false */
  readonly apiKey?: boolean;
  /** Its own throttle on the stage. @default - the stage's */
  readonly throttle?: ThrottleSpec;
  /** The calls, by the key each answer lands under. Give this or `from`. @default - from */
  readonly parts?: Record<string, AggregatePartSpec>;
  /** `<gateway>.<aggregate name>`: reuse that aggregate's parts. @default - parts */
  readonly from?: string;
  /** Dot paths kept from the merged answer (`[]` for each array element). @default - everything */
  readonly select?: string[];
  /** Deadline of the whole request, at most 28000. @default - the slowest chain of parts' worst case */
  readonly deadlineMs?: number;
  /** Client request headers copied to every part. @default ['authorization', 'accept-language'] */
  readonly forwardHeaders?: string[];
  /** Answers at least this big are compressed for clients that accept it. @default 1024 */
  readonly compressMinBytes?: number;
  /** The aggregator Lambda. @default - 256 MB, no reserved concurrency, no VPC */
  readonly aggregator?: FunctionSpec;
}
