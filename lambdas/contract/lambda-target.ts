// Contract between the planner and the handlers for an upstream that is a Lambda function, invoked with the AWS SDK.

/**
 * A Lambda function the proxy or the aggregator invokes (RequestResponse) instead of calling a URL.
 * The planner writes it; the handler builds an API Gateway–shaped event of `payload` version, maps the
 * function's proxy result back to an HTTP response, and treats a function error, a throttle (429) or a
 * timeout like a failing upstream (breaker, retries on safe methods only, fallback).
 */
export interface LambdaInvokeTarget {
  /** Function name, `name:alias`/`name:version`, or full ARN: what `Invoke`'s `FunctionName` accepts. */
  readonly functionName: string;
  /** Event shape sent to the function: API Gateway's proxy payload 1.0 or 2.0. */
  readonly payload: '1.0' | '2.0';
}

/** The label a Lambda target carries in `url`: names it in logs, metrics and breaker keys; never fetched. */
export function lambdaTargetLabel(target: LambdaInvokeTarget): string {
  return `lambda:${target.functionName}`;
}
