// CDK tokens in a typed spec: fields that only pass through to a construct accept an unresolved token as is.
import { Token } from 'aws-cdk-lib';

/** Whether `value` is (or contains) an unresolved CDK token, e.g. `topic.topicArn` of the app's own topic. */
export function isUnresolvedToken(value: string): boolean {
  return Token.isUnresolved(value);
}
