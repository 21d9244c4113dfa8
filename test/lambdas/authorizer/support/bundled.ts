// The authorizer exactly as it deploys: bundled with its config baked in, loaded as a fresh module (its own caches, real fetch).
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { bundleAuthorizer } from '../../../../lib/constructs/bundling/authorizer-bundle';
import type { AuthorizerConfig } from '../../../../lambdas/contract/authorizer-config';
import type { AuthorizerHandler } from '../../../../lambdas/authorizer/handler';

const load = createRequire(__filename);
const outdirs: string[] = [];

/** Bundles `config` and returns the bundle's `handler`: one Lambda container per call. */
export function bundledHandler(config: AuthorizerConfig): AuthorizerHandler {
  const outdir = mkdtempSync(join(tmpdir(), 'gatehouse-authorizer-'));
  outdirs.push(outdir);
  return (load(bundleAuthorizer(config, outdir).file) as { handler: AuthorizerHandler }).handler;
}

export function removeBundles(): void {
  outdirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
}

/** An HTTP API (payload 2.0) authorizer event for a route key. */
export function httpEvent(routeKey: string, authorization?: string): APIGatewayRequestAuthorizerEventV2 {
  const [method, path] = routeKey.split(' ');
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:eu-west-1:123456789012:abc123/$default/${method}${path}`,
    identitySource: authorization ? [authorization, routeKey] : [routeKey],
    routeKey,
    rawPath: path,
    rawQueryString: '',
    cookies: [],
    headers: authorization ? { authorization } : {},
    requestContext: { requestId: 'req-v2', routeKey, http: { method, path } },
  } as unknown as APIGatewayRequestAuthorizerEventV2;
}

/** What the handler answered: its result, or the message it threw (API Gateway's 401 is `Unauthorized`). */
export async function outcome<T>(call: Promise<T>): Promise<{ result?: T; thrown?: string }> {
  try {
    return { result: await call };
  } catch (err) {
    return { thrown: (err as Error).message };
  }
}
