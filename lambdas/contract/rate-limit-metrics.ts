// Rate-limit metric names, shared by the limiter's hooks and the dashboards; no side effects, so constructs can import it at synth.

/** Each metric carries this dimension (the route's scope, e.g. `gateway#routeId`), never a consumer or an IP. */
export const RATE_LIMIT_SCOPE_DIMENSION = 'scope';
/** Count of requests the limiter let through, degraded ones included. */
export const RATE_LIMIT_ALLOWED_METRIC = 'RateLimitAllowed';
/** Count of requests refused: over a limit, or the store unavailable with `failOpen: false`. */
export const RATE_LIMIT_DENIED_METRIC = 'RateLimitDenied';
/** Count of decisions taken without the counter table because it could not be reached. */
export const RATE_LIMIT_STORE_UNAVAILABLE_METRIC = 'RateLimitStoreUnavailable';
