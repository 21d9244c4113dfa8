// Checks a baked Lambda target at init (proxy targets and aggregate parts): a malformed one is a planner bug, a TypeError naming the field.
import { lambdaTargetLabel, type LambdaInvokeTarget } from './lambda-target';

/**
 * What Invoke's `FunctionName` accepts (Lambda API reference, Invoke, "FunctionName": a name, a partial
 * ARN `123456789012:function:name` or a full ARN, each with an optional `:version`/`:alias`; 1 to 170 characters).
 */
const FUNCTION_NAME =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const FUNCTION_NAME_MAX = 170;

/** `where` names the field in messages, e.g. `proxy config: targets.users`. */
export function checkLambdaTarget(target: LambdaInvokeTarget, url: string, where: string): void {
  const name: unknown = target?.functionName;
  if (typeof name !== 'string' || name.length === 0 || name.length > FUNCTION_NAME_MAX || !FUNCTION_NAME.test(name)) {
    throw new TypeError(
      `${where}.lambda.functionName must be a function name, name:alias or function ARN (1-${FUNCTION_NAME_MAX} characters), got ${JSON.stringify(name)}`,
    );
  }
  if (target.payload !== '1.0' && target.payload !== '2.0') {
    throw new TypeError(`${where}.lambda.payload must be "1.0" or "2.0", got ${JSON.stringify(target.payload)}`);
  }
  const label = lambdaTargetLabel(target);
  if (url !== label)
    throw new TypeError(`${where}.url of a Lambda target must be its label ${JSON.stringify(label)}, got ${JSON.stringify(url)}`);
}

/** True for a `lambda:` label: a url that only a target with `lambda` may carry. */
export function isLambdaLabel(url: string): boolean {
  return typeof url === 'string' && url.startsWith('lambda:');
}
