// ResilientProxy: one service's proxy Lambda on one REST API (transforms, breaker, retries, routing, fallbacks), with a single invoke permission.
import type { Construct } from 'constructs';
import { proxyLeftOut } from './bundling/proxy-bundle';
import { PROXY_CONFIG_GLOBAL } from '../../lambdas/contract/proxy-config';
import { proxyServiceName } from '../../lambdas/contract/proxy-metrics';
import type { ProxyPlan } from '../plan/types';
import { ApiFunctionConstruct, type ApiFunctionUse } from './api-function';

export interface ResilientProxyProps extends ApiFunctionUse {
  /** What to build (from `planSpec`: `GatewayPlan.proxies`). */
  readonly plan: ProxyPlan;
}

export class ResilientProxy extends ApiFunctionConstruct {
  constructor(scope: Construct, id: string, props: ResilientProxyProps) {
    const { plan } = props;
    super(scope, id, props, {
      handler: 'proxy/handler',
      define: { [PROXY_CONFIG_GLOBAL]: JSON.stringify(plan.config) },
      leaveOut: proxyLeftOut(plan.config),
      description: `Gatehouse resilient proxy of service "${plan.service}" on gateway "${plan.config.gateway}"`,
      serviceName: plan.serviceName ?? proxyServiceName(plan.config.gateway, plan.service),
      plan,
      owner: `ResilientProxy "${plan.service}"`,
    });
  }
}
