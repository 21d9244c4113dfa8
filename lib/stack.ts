// GatehouseStack: the stack this repo ships, one Gatehouse construct driven by a spec.
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Gatehouse } from './constructs/gatehouse';
import type { GatehouseSpec as ResolvedSpec } from './config/schema';
import type { GatehouseSpec } from './config/types';

export interface GatehouseStackProps extends StackProps {
  /**
   * The config, as for `Gatehouse`. Its `account.region` pins the stack's region when `env` is not given.
   */
  readonly spec: GatehouseSpec | ResolvedSpec;
}

/** A stack holding one `Gatehouse`: what this repository's app deploys, and the simplest way to ship a config. */
export class GatehouseStack extends Stack {
  /** The Gatehouse the stack holds (id `Gatehouse`). */
  public readonly gatehouse: Gatehouse;

  constructor(scope: Construct, id: string, props: GatehouseStackProps) {
    // account.region pins the stack's region when no env is given (CloudFront's cross-region web ACL needs one).
    const region = (props.spec as { account?: { region?: unknown } }).account?.region;
    super(scope, id, { ...props, env: props.env ?? (typeof region === 'string' ? { region } : undefined) });
    this.gatehouse = new Gatehouse(this, 'Gatehouse', { spec: props.spec });
  }
}
