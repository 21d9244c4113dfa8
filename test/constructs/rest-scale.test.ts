// A REST gateway at scale: routes cost no CloudFormation resource, a large definition moves to S3, logical ids never follow list positions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiErrors } from '../support/openapi';
import { restBody, type Json } from '../support/rest-definition';
import { manyRoutes, synthSpec, type Synthesized } from '../support/synth';
import { asRest } from '../support/flavors';

const resourceCount = (s: Synthesized) => Object.keys(s.templates['Test.template.json']!.Resources!).length;

describe('a REST gateway with 1,000 three-verb prefix routes', () => {
  const big = synthSpec(manyRoutes(1000), { nag: false });
  const small = synthSpec(manyRoutes(30), { nag: false });

  it('costs a constant number of resources per gateway, independent of the route count, in one stack', () => {
    expect(resourceCount(big)).toBe(resourceCount(small));
    expect(resourceCount(big)).toBe(big.stack.gatehouse.plan.stackResources);
    expect(Object.keys(big.templates)).toEqual(['Test.template.json']);
    for (const type of ['Resource', 'Method']) big.template.resourceCountIs(`AWS::ApiGateway::${type}`, 0);
  });

  it('keeps a small definition inline and moves a large one to an S3 asset (BodyS3Location)', () => {
    expect(small.stack.gatehouse.gateways.big!.definitionLocation).toBe('inline');
    expect(big.stack.gatehouse.gateways.big!.definitionLocation).toBe('s3');
    const [api] = Object.values(big.template.findResources('AWS::ApiGateway::RestApi'));
    expect(api!.Properties.Body).toBeUndefined();
    expect(api!.Properties.BodyS3Location).toEqual({ Bucket: expect.anything(), Key: expect.stringMatching(/\.json$/) });
  });

  it('writes the S3 definition into cdk.out with every route, valid, and without CloudFormation references', async () => {
    const [api] = Object.values(big.template.findResources('AWS::ApiGateway::RestApi'));
    const key = api!.Properties.BodyS3Location.Key as string;
    const file = JSON.parse(readFileSync(join(big.outdir, 'Test.assets.json'), 'utf8')).files[key.replace(/\.json$/, '')].source
      .path as string;
    const text = readFileSync(join(big.outdir, file), 'utf8');
    const doc = JSON.parse(text) as Json;
    expect(Object.keys(doc.paths)).toHaveLength(2000);
    expect(Object.keys(doc.paths['/svc1/r1'])).toEqual(['get', 'post', 'put', 'options']);
    expect(text).not.toMatch(/"(Ref|Fn::\w+)"/);
    expect(await openApiErrors(doc)).toEqual([]);
  });

  it('stays inline up to the configured threshold and tests the other side of it', () => {
    const bytes = JSON.stringify(big.stack.gatehouse.gateways.big!.definition).length;
    expect(bytes).toBeGreaterThan(300_000);
    expect(JSON.stringify(restBody(small, 'big')).length).toBeLessThan(300_000);
  });
});

describe('logical ids come from route keys and paths, never list positions', () => {
  const services = { a: { url: 'https://a.internal' }, b: { url: 'https://b.internal', retries: { attempts: 1 } } };
  const route = (i: number) => ({
    service: i % 2 ? 'b' : 'a',
    paths: [`/r${i}`],
    methods: ['GET', 'POST'],
    auth: i % 3 ? undefined : 'jwt',
  });
  const gateway = (routes: Record<string, unknown>[]) => ({
    services,
    gateways: {
      g: {
        cors: { origins: ['https://app.example.com'] },
        auth: { jwt: { issuers: [{ issuer: 'https://id.example.com/', audience: ['x'] }] } },
        routes,
      },
    },
  });
  const ids = (s: Synthesized) => Object.keys(s.templates['Test.template.json']!.Resources!).sort();
  const base = Array.from({ length: 6 }, (_, i) => route(i));
  const original = synthSpec(gateway(base), { nag: false });

  it('changes no logical id, and not the definition, when routes are reordered', () => {
    const reordered = synthSpec(gateway([...base].reverse()), { nag: false });
    expect(ids(reordered)).toEqual(ids(original));
    expect(restBody(reordered, 'g')).toEqual(restBody(original, 'g'));
  });

  it('changes only the deployment when a route is inserted above the others', () => {
    const inserted = synthSpec(gateway([route(99), ...base]), { nag: false });
    const before = ids(original);
    const after = ids(inserted);
    const deployment = (list: string[]) => list.filter((id) => /Deployment/.test(id));
    expect(after.filter((id) => !before.includes(id))).toEqual(deployment(after));
    expect(before.filter((id) => !after.includes(id))).toEqual(deployment(before));
  });
});

describe('Lambda names the definition relies on', () => {
  it('refuses two REST gateways of the same name in one stack, whose functions would share names', async () => {
    const { App, Stack } = await import('aws-cdk-lib');
    const { RestGateway } = await import('../../lib/constructs/rest-gateway');
    const { planSpec } = await import('../../lib/plan/plan');
    const { validateConfig } = await import('../../lib/config/load');
    const plan = asRest(
      planSpec(
        validateConfig({
          services: { b: { url: 'https://b', retries: { attempts: 1 } } },
          gateways: { g: { routes: [{ service: 'b', paths: ['/x'] }] } },
        }),
      ).gateways[0],
    );
    const stack = new Stack(new App(), 'Twice');
    new RestGateway(stack, 'One', { plan });
    expect(() => new RestGateway(stack, 'Two', { plan })).toThrow(/already has a gateway named "g" whose Lambda is named Twice-g-proxy-b/);
  });
});

describe("API Gateway's 6 MB import limit", () => {
  it('refuses a definition larger than API Gateway imports, naming the gateway and the way out', () => {
    expect(() => synthSpec(manyRoutes(1400), { nag: false })).toThrow(
      /RestGateway "big": its API definition is [\d.]+ MB, over API Gateway's 6 MB import limit \(1400 route paths\); spread the routes over several gateways/,
    );
  });
});
