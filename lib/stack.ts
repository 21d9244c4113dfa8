// GatehouseStack: the stack this repo ships, one Gatehouse construct driven by a spec.
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Gatehouse } from './constructs/gatehouse';
import type { GatehouseSpec, GatehouseSpecInput } from './spec/schema';

export interface GatehouseStackProps extends StackProps {
  readonly spec: GatehouseSpecInput | GatehouseSpec;
}

export class GatehouseStack extends Stack {
  public readonly gatehouse: Gatehouse;

  constructor(scope: Construct, id: string, props: GatehouseStackProps) {
    // account.region pins the stack's region when no env is given (CloudFront's cross-region web ACL needs one).
    const region = (props.spec as { account?: { region?: unknown } }).account?.region;
    super(scope, id, { ...props, env: props.env ?? (typeof region === 'string' ? { region } : undefined) });
    this.gatehouse = new Gatehouse(this, 'Gatehouse', { spec: props.spec });
  }
}
