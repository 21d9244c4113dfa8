import { describe, expect, it } from 'vitest';
import { CFN_RESOURCES_PER_STACK } from '../../lib/spec/limits';
import { STACK_RESOURCE_BUDGET } from '../../lib/plan/resources';
import { manyRoutes, resourcesOfType, synthSpec } from '../support/synth';

describe('splitting routes into nested stacks', () => {
  const n = 120;
  const s = synthSpec(manyRoutes(n));
  const gw = s.stack.gatehouse.gateways.big!;

  it('moves routes into nested stacks when one stack would pass the budget, each within CloudFormation limits', () => {
    expect(gw.routeStacks.length).toBeGreaterThan(1);
    for (const [file, t] of Object.entries(s.templates)) {
      const count = Object.keys(t.Resources ?? {}).length;
      expect(count, file).toBeLessThanOrEqual(STACK_RESOURCE_BUDGET);
      expect(count, file).toBeLessThan(CFN_RESOURCES_PER_STACK);
    }
  });

  it('still renders every route: 2 resources per route, 4 methods when collapsed and 8 once the policy is full, parents once', () => {
    const routes = s.stack.gatehouse.plan.gateways[0]!.routes;
    const collapsed = routes.filter((r) => r.apiMethods.includes('ANY')).length;
    expect(collapsed).toBeGreaterThan(10);
    expect(collapsed).toBeLessThan(n);
    expect(routes.find((r) => !r.apiMethods.includes('ANY'))!.methodsReason).toMatch(/resource policy is full/);
    expect(resourcesOfType(s, 'AWS::ApiGateway::Method')).toHaveLength(collapsed * 4 + (n - collapsed) * 8);
    const pathParts = resourcesOfType(s, 'AWS::ApiGateway::Resource').map(([, r]) => r.Properties?.PathPart);
    expect(pathParts.filter((p) => p === '{proxy+}')).toHaveLength(n);
    for (const parent of ['svc0', 'svc1', 'svc2', 'svc3']) expect(pathParts.filter((p) => p === parent)).toHaveLength(1);
  });

  it("keeps the resource policy within API Gateway's 8,192-character quota", () => {
    const [api] = Object.values(s.template.findResources('AWS::ApiGateway::RestApi'));
    const policy = JSON.stringify(api!.Properties.Policy);
    expect(policy.length).toBeGreaterThan(6000);
    expect(policy.length).toBeLessThanOrEqual(8192);
  });

  it('makes the deployment wait for every nested route stack', () => {
    const nested = Object.keys(s.template.findResources('AWS::CloudFormation::Stack'));
    expect(nested).toHaveLength(gw.routeStacks.length);
    const [deployment] = Object.values(s.template.findResources('AWS::ApiGateway::Deployment'));
    for (const id of nested) expect(deployment!.DependsOn).toContain(id);
  });

  it('records the split and its reason in the plan', () => {
    const plan = s.stack.gatehouse.plan.gateways[0]!;
    expect(plan.routeGroups).toBe(gw.routeStacks.length);
    expect(plan.splitReason).toMatch(/nested stack/);
    expect(plan.routes.every((r) => r.group !== undefined)).toBe(true);
  });

  it("matches the plan's resource estimates exactly, parent and nested", () => {
    const plan = s.stack.gatehouse.plan;
    const counts = Object.entries(s.templates).map(([file, t]) => [file, Object.keys(t.Resources ?? {}).length] as const);
    expect(counts.find(([f]) => f === 'Test.template.json')![1]).toBe(plan.stackResources);
    expect(counts.filter(([f]) => f.includes('nested')).map(([, n]) => n).sort()).toEqual([...plan.gateways[0]!.estimate.groupResources].sort());
  });

  it('does not split a gateway that fits in one stack', () => {
    const small = synthSpec(manyRoutes(10), { nag: false });
    expect(small.stack.gatehouse.gateways.big!.routeStacks).toHaveLength(0);
    expect(Object.keys(small.templates)).toHaveLength(1);
  });
});
