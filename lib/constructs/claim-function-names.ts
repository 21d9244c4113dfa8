// One stack, one owner per Lambda name: the fixed names a gateway's definition names its functions by must not repeat within a stack.
import type { Stack } from 'aws-cdk-lib';
import { allFunctionNames, type GatewayFunctionNames } from '../openapi/function-names';
import { invalidProps } from './validation-error';

/** Function names claimed by the gateways of each stack: two gateways of one name in one stack would deploy the same functions. */
const claimedNames = new WeakMap<Stack, Set<string>>();

/** Records `names` for `stack`; a name already claimed there is a config error that says which gateway to rename. */
export function claimFunctionNames(stack: Stack, kind: 'RestGateway' | 'HttpGateway', gateway: string, names: GatewayFunctionNames): void {
  const claimed = claimedNames.get(stack) ?? new Set<string>();
  claimedNames.set(stack, claimed);
  for (const name of allFunctionNames(names)) {
    if (claimed.has(name)) {
      throw invalidProps(
        stack,
        `${kind} "${gateway}": stack ${stack.stackName} already has a gateway named "${gateway}" whose Lambda is named ${name}; give each gateway of a stack its own name`,
      );
    }
    claimed.add(name);
  }
}
