// Physical names that cannot collide: per stack instance for retained resources, per region for account-global ones.
import { Aws, Fn, Lazy, Names, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The UUID CloudFormation gives this stack when it is created (the last part of `AWS::StackId`). A retained
 * resource whose name ends with it never blocks the next create of the stack: after a rollback or a
 * `cdk destroy` keeps the old resource, the new stack has a new id, hence a new name.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html (AWS::StackId)
 */
export function stackInstanceId(): string {
  // arn:<partition>:cloudformation:<region>:<account>:stack/<stack-name>/<uuid>
  return Fn.select(2, Fn.split('/', Aws.STACK_ID));
}

/** Length of stackInstanceId() once resolved: a UUID. */
export const STACK_INSTANCE_ID_LENGTH = 36;

/**
 * A name for an account-global resource (a CloudFront policy) that is unique across
 * regions: the construct's unique resource name (its path, hence its stack) followed by the stack's region,
 * the way CDK names CloudFront cache policies. Lazy, so it can be passed to the construct it names.
 */
export function regionalName(construct: () => IConstruct, maxLength: number): string {
  return Lazy.string({
    produce: () => {
      const scope = construct();
      // Regions are at most 20 characters; the separator takes one.
      return `${Names.uniqueResourceName(scope, { maxLength: maxLength - 21 })}-${Stack.of(scope).region}`;
    },
  });
}
