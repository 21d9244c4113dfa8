// `gatehouse export openapi` as a user runs it: the clean and the deployable document of an HTTP gateway, and clear refusals.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportOpenApi, ExportError } from '../../lib/openapi/export';
import { planSpec } from '../../lib/plan/plan';
import { loadConfig } from '../../lib/config/load';
import { openApiErrors } from '../support/openapi';
import { scaled } from '../support/time-factor';

const root = join(__dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');

function gatehouse(args: string[]) {
  const r = spawnSync(tsx, [join(root, 'bin/gatehouse.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: scaled(120_000) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('gatehouse export openapi', () => {
  it('prints the clean document of the HTTP gateway: valid OpenAPI, no x-amazon extensions', async () => {
    const r = gatehouse(['export', 'openapi', 'examples/http.yaml']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.info.title).toBe('public');
    expect(r.stdout).not.toMatch(/x-amazon-apigateway/);
    expect(await openApiErrors(doc)).toEqual([]);
  });

  it('with --aws-extensions prints what deploys, function ARNs as placeholders', async () => {
    const r = gatehouse(['export', 'openapi', 'examples/http.yaml', '--gateway', 'public', '--aws-extensions']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc['x-amazon-apigateway-cors']).toBeDefined();
    expect(doc.components['x-amazon-apigateway-integrations']['proxy-order_service'].uri).toBe(
      'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${proxy:order-service.Arn}/invocations',
    );
    expect(await openApiErrors(doc)).toEqual([]);
  });

  it('prints a REST gateway as the Swagger 2.0 document it deploys: clean by default, with the extensions on request', async () => {
    const clean = gatehouse(['export', 'openapi', 'gatehouse.yaml']);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).not.toMatch(/x-amazon-apigateway/);
    const doc = JSON.parse(clean.stdout);
    expect(doc.swagger).toBe('2.0');
    expect(await openApiErrors(doc)).toEqual([]);
    const deployed = JSON.parse(gatehouse(['export', 'openapi', 'gatehouse.yaml', '--aws-extensions']).stdout);
    expect(Object.keys(deployed.paths)).toEqual(Object.keys(doc.paths));
    expect(JSON.stringify(deployed)).toMatch(/x-amazon-apigateway-integration/);
    expect(await openApiErrors(deployed)).toEqual([]);
  });

  it('prints config problems at file:line with exit 1 and no stack trace', () => {
    const r = gatehouse(['export', 'openapi', 'test/fixtures/does-not-exist.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('says which formats and flags exist when called wrongly (exit 2)', () => {
    const r = gatehouse(['export', 'swagger']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown format "swagger"[\s\S]*Usage: gatehouse export openapi/);
  });
});

describe('exportOpenApi', () => {
  const plan = planSpec(loadConfig(join(root, 'examples/http.yaml')));

  it('GIVEN --gateway naming no gateway WHEN exported THEN the error lists the gateways there are', () => {
    expect(() => exportOpenApi(plan, { gateway: 'nope', awsExtensions: false })).toThrow(ExportError);
    expect(() => exportOpenApi(plan, { gateway: 'nope', awsExtensions: false })).toThrow(/no gateway named "nope" \(gateways: public\)/);
  });

  it('GIVEN no --gateway WHEN exported THEN every gateway has its document', () => {
    expect(Object.keys(exportOpenApi(plan, { awsExtensions: false }))).toEqual(['public']);
  });
});
