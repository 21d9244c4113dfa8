import { describe, expect, it } from 'vitest';
import { baseSpec, synthSpec } from '../support/synth';

/** Logical id of the single AWS::ApiGateway::Deployment in the stack. */
function deploymentId(spec: Record<string, unknown>): string {
  const ids = Object.keys(synthSpec(spec, { nag: false }).template.findResources('AWS::ApiGateway::Deployment'));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

const withRoutes = (mutate: (routes: Record<string, unknown>[]) => void) => {
  const spec = baseSpec();
  mutate((spec.gateways as { public: { routes: Record<string, unknown>[] } }).public.routes);
  return spec;
};

describe('Deployment logical id', () => {
  const original = deploymentId(baseSpec());

  it('does not change when nothing changes', () => {
    expect(deploymentId(baseSpec())).toBe(original);
  });

  it('does not change for stage-only settings, which apply without a new deployment', () => {
    expect(deploymentId(baseSpec({ stage: { throttle: { rate: 10, burst: 10 }, tracing: false } }))).toBe(original);
  });

  it.each([
    ['a path is added', (r: Record<string, unknown>[]) => ((r[0] as { paths: string[] }).paths = ['/api/users', '/api/people'])],
    ['a method changes', (r: Record<string, unknown>[]) => ((r[0] as { methods: string[] }).methods = ['GET'])],
    ['stripPath changes the integration URI', (r: Record<string, unknown>[]) => ((r[0] as { stripPath: boolean }).stripPath = false)],
    ['a route starts requiring an API key', (r: Record<string, unknown>[]) => Object.assign(r[1]!, { apiKey: true })],
  ])('changes when %s', (_what, mutate) => {
    const spec = withRoutes(mutate);
    if (JSON.stringify(spec).includes('"apiKey":true')) (spec.gateways as { public: Record<string, unknown> }).public.plans = { p: {} };
    expect(deploymentId(spec)).not.toBe(original);
  });

  it('changes when CORS (preflights and gateway responses) is added or edited', () => {
    const withCors = deploymentId(baseSpec({ cors: { origins: ['https://a.example.com'] } }));
    expect(withCors).not.toBe(original);
    expect(deploymentId(baseSpec({ cors: { origins: ['https://b.example.com'] } }))).not.toBe(withCors);
  });

  it('changes when an upstream URL or timeout changes', () => {
    expect(
      deploymentId({
        ...baseSpec(),
        services: { users: { url: 'https://users.internal:9090' }, orders: { url: 'https://orders.internal/base' } },
      }),
    ).not.toBe(original);
    expect(
      deploymentId({
        ...baseSpec(),
        services: { users: { url: 'https://users.internal:8080', timeoutMs: 999 }, orders: { url: 'https://orders.internal/base' } },
      }),
    ).not.toBe(original);
  });

  it('changes when only the definition changes (a route name becomes an operation summary)', () => {
    expect(deploymentId(withRoutes((r) => Object.assign(r[0]!, { name: 'people' })))).not.toBe(original);
  });

  it('does not change when routes are reordered: the definition and the fingerprint ignore config order', () => {
    expect(deploymentId(withRoutes((r) => r.reverse()))).toBe(original);
  });

  it('changes when the resource policy changes (it applies only with a new deployment)', () => {
    expect(deploymentId(baseSpec({ edge: { resourcePolicy: { ipDeny: ['198.51.100.0/24'] } } }))).not.toBe(original);
  });
});
