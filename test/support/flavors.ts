// Test support: a gateway plan narrowed to its flavor, failing the test (not a type cast) when it is the other one.
import { isHttpGateway, isRestGateway, type GatewayPlan, type HttpGatewayPlan, type RestGatewayPlan } from '../../lib/plan/types';

export function asRest(plan: GatewayPlan | undefined): RestGatewayPlan {
  if (!plan || !isRestGateway(plan)) throw new Error(`expected a REST gateway plan, got ${plan ? `flavor "${plan.flavor}"` : 'none'}`);
  return plan;
}

export function asHttp(plan: GatewayPlan | undefined): HttpGatewayPlan {
  if (!plan || !isHttpGateway(plan)) throw new Error(`expected an HTTP gateway plan, got ${plan ? `flavor "${plan.flavor}"` : 'none'}`);
  return plan;
}
