// The shared-state budget the handlers wait within and the planner counts in every proxy's and aggregator's timing.

/**
 * How long one wait of a request on shared state (the breaker table's read at cold start or a write
 * still in flight, the rate-limit table's counts, the AWS SDK's first load) may last. A DynamoDB
 * call in the same region answers in single-digit ms; 200 ms is far above that and small next to
 * any upstream timeout. Past it the request goes on with what the instance knows locally. The
 * planner counts it in each proxy's and aggregator's timing (lib/plan/proxy-timing.ts).
 */
export const SHARED_STATE_BUDGET_MS = 200;
