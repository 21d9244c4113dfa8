// AggregatorFunction: one aggregate's fan-out Lambda on one REST API (parts in parallel, one merged answer), with a single invoke permission.
import type { Construct } from 'constructs';
import { aggregatorLeftOut } from './bundling/aggregator-bundle';
import { AGGREGATOR_CONFIG_GLOBAL } from '../../lambdas/contract/aggregator-config';
import { aggregatorServiceName } from '../../lambdas/contract/aggregator-metrics';
import type { AggregatorPlan } from '../plan/types';
import { ApiFunctionConstruct, type ApiFunctionUse } from './api-function';

export interface AggregatorFunctionProps extends ApiFunctionUse {
  /** What to build (from `planSpec`: `GatewayPlan.aggregators`). */
  readonly plan: AggregatorPlan;
}

export class AggregatorFunction extends ApiFunctionConstruct {
  constructor(scope: Construct, id: string, props: AggregatorFunctionProps) {
    const { plan } = props;
    const { config } = plan;
    super(scope, id, props, {
      handler: 'aggregator/handler',
      define: { [AGGREGATOR_CONFIG_GLOBAL]: JSON.stringify(config) },
      leaveOut: aggregatorLeftOut(config),
      description: `Gatehouse aggregator of ${config.route} on gateway "${config.gateway}"`,
      serviceName: plan.serviceName ?? aggregatorServiceName(config.gateway, config.route),
      plan,
      owner: `AggregatorFunction "${plan.name}"`,
    });
  }
}
