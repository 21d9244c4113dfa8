// Synthesizes a config in-process the way bin/app.ts does and reads what would ship: each API's definition, stage, usage plans and functions.
import type { JsonObject } from './definition';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { GatehouseStack } from '../stack';
import { DEFAULT_STACK_NAME } from '../plan/observability';
import { ConfigError } from '../config/errors';
import type { GatehouseSpec } from '../config/schema';
import { locateIssue, sourceOf } from '../config/source';
import { shippedStackIssues } from '../config/stack-rules';
import { functionName, resolveIntrinsics, type CfnResource, type CfnResources } from './cfn';

export type Flavor = 'rest' | 'http';

/** A Lambda function of the assembly, runnable from its asset directory. */
export interface LocalFunction {
  readonly logicalId: string;
  readonly name: string;
  /** The asset directory in the assembly (Metadata `aws:asset:path`), or undefined when the code is not an asset. */
  readonly codeDir?: string;
  readonly handler: string;
  readonly runtime: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Environment variables with Refs resolved to local stand-ins (a table's name is its logical id). */
  readonly environment: Readonly<Record<string, string>>;
}

export interface LocalUsagePlan {
  readonly name: string;
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  readonly quota?: { readonly limit: number; readonly period: 'DAY' | 'WEEK' | 'MONTH' };
  /** `"/path/METHOD"` → throttle, as the plan's ApiStages[].Throttle. */
  readonly methodThrottles: Readonly<Record<string, { readonly rateLimit: number; readonly burstLimit: number }>>;
  /** Names of the API keys in the plan. */
  readonly keys: readonly string[];
}

export interface LocalGatewayDefinition {
  /** The API's logical id. */
  readonly logicalId: string;
  readonly name: string;
  readonly flavor: Flavor;
  /** The OpenAPI (HTTP) or Swagger 2.0 (REST) definition as it ships, intrinsics resolved. */
  readonly definition: JsonObject;
  readonly stageName: string;
  /** Stage-wide throttle (REST MethodSettings `/*` `*`, HTTP DefaultRouteSettings). */
  readonly stageThrottle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** HTTP route keys' own throttles (RouteSettings). */
  readonly routeThrottles: Readonly<Record<string, { readonly rateLimit: number; readonly burstLimit: number }>>;
  readonly usagePlans: readonly LocalUsagePlan[];
  /** The resource policy (REST `Policy`), intrinsics resolved. */
  readonly policy?: JsonObject;
  /** The WAF, CloudFront, mTLS and tracing features of this API that local cannot honour. */
  readonly notEmulated: readonly string[];
}

export interface LocalAssembly {
  readonly outdir: string;
  readonly gateways: readonly LocalGatewayDefinition[];
  readonly functions: ReadonlyMap<string, LocalFunction>;
  /** DynamoDB tables (logical id → key schema properties) and Secrets Manager secrets the handlers may reach. */
  readonly tables: ReadonlyMap<string, JsonObject>;
  readonly secrets: ReadonlyMap<string, JsonObject>;
  /** Whole-stack features local cannot honour (CloudFront, WAF). */
  readonly notEmulated: readonly string[];
}

/** The package root (the directory of Gatehouse's package.json), from lib/local or dist/lib/local. */
export function packageRoot(): string {
  let dir = __dirname;
  while (dir !== dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'gatehouse') return dir;
    dir = dirname(dir);
  }
  return resolve(__dirname, '../..');
}

/** Synthesizes `spec` into a fresh temp directory, as `cdk synth` of the shipped app would (same feature flags and stack checks). */
export function synthesizeAssembly(spec: GatehouseSpec, outdir = mkdtempSync(join(tmpdir(), 'gatehouse-local-'))): LocalAssembly {
  const issues = shippedStackIssues(spec);
  if (issues.length) throw new ConfigError(issues.map((i) => locateIssue(i, sourceOf(spec))));
  const cdkJson = join(packageRoot(), 'cdk.json');
  const context = existsSync(cdkJson)
    ? ((JSON.parse(readFileSync(cdkJson, 'utf8')) as { context?: Record<string, unknown> }).context ?? {})
    : {};
  // Asset metadata names each function's asset directory, as the CDK CLI turns it on.
  const app = new App({ outdir, context: { ...context, 'aws:cdk:enable-asset-metadata': true } });
  new GatehouseStack(app, DEFAULT_STACK_NAME, { spec });
  app.synth();
  return readAssembly(outdir);
}

/** Reads a synthesized assembly directory (every template in it, nested stacks included). */
export function readAssembly(outdir: string): LocalAssembly {
  const resources: Record<string, CfnResource> = {};
  for (const file of readdirSync(outdir).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(join(outdir, file), 'utf8')) as { Resources?: Record<string, CfnResource> };
    Object.assign(resources, template.Resources ?? {});
  }
  const assetFiles = assetFileIndex(outdir);
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  const functions = new Map<string, LocalFunction>();
  for (const [id, r] of ofType('AWS::Lambda::Function')) {
    const p = r.Properties ?? {};
    const assetPath = r.Metadata?.['aws:asset:path'];
    const env = (p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    functions.set(functionName(id, resources), {
      logicalId: id,
      name: functionName(id, resources),
      codeDir: typeof assetPath === 'string' ? resolve(outdir, assetPath) : undefined,
      handler: String(p.Handler ?? 'index.handler'),
      runtime: String(p.Runtime ?? ''),
      timeoutSeconds: Number(p.Timeout ?? 3),
      memoryMb: Number(p.MemorySize ?? 128),
      environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(resolveIntrinsics(v, resources))])),
    });
  }

  const stackWide: string[] = [];
  if (ofType('AWS::CloudFront::Distribution').length)
    stackWide.push('CloudFront distribution (local serves the API origin directly; no edge caching, no origin-verify header)');
  if (ofType('AWS::WAFv2::WebACL').length) stackWide.push('WAF web ACL rules (not evaluated locally)');

  const gateways: LocalGatewayDefinition[] = [];
  for (const [id, r] of [...ofType('AWS::ApiGateway::RestApi'), ...ofType('AWS::ApiGatewayV2::Api')]) {
    const flavor: Flavor = r.Type === 'AWS::ApiGateway::RestApi' ? 'rest' : 'http';
    const p = r.Properties ?? {};
    const body = p.Body ?? readS3Body(p.BodyS3Location, assetFiles, outdir);
    if (!body) continue;
    const definition = resolveIntrinsics(body, resources) as JsonObject;
    const refsApi = (v: unknown) => JSON.stringify(v) === JSON.stringify({ Ref: id });
    const stage = (flavor === 'rest' ? ofType('AWS::ApiGateway::Stage') : ofType('AWS::ApiGatewayV2::Stage')).find(([, s]) =>
      refsApi(s.Properties?.[flavor === 'rest' ? 'RestApiId' : 'ApiId']),
    );
    const stageId = stage?.[0];
    const sp = stage?.[1].Properties ?? {};
    const notEmulated: string[] = [];
    if (sp.TracingEnabled) notEmulated.push('X-Ray tracing (no trace ids locally)');
    if (sp.ClientCertificateId || (p.DisableExecuteApiEndpoint && ofType('AWS::ApiGateway::DomainName').length))
      notEmulated.push('mutual TLS / client certificates');
    for (const [, assoc] of ofType('AWS::WAFv2::WebACLAssociation')) {
      if (JSON.stringify(assoc.Properties?.ResourceArn ?? '').includes(id)) notEmulated.push('WAF web ACL on the stage');
    }
    const policy = p.Policy
      ? (resolveIntrinsics(p.Policy, resources) as JsonObject)
      : (definition['x-amazon-apigateway-policy'] as JsonObject | undefined);
    if (/aws:sourcevpce?\b/i.test(JSON.stringify(policy ?? {})))
      notEmulated.push(
        'resource policy conditions on aws:SourceVpc/aws:SourceVpce: local callers are in no VPC, so statements with them never apply',
      );
    gateways.push({
      logicalId: id,
      name: String((definition.info as { title?: string } | undefined)?.title ?? id),
      flavor,
      definition,
      stageName: String(sp.StageName ?? (flavor === 'http' ? '$default' : 'prod')),
      stageThrottle:
        flavor === 'rest' ? restStageThrottle(sp) : throttleOf(sp.DefaultRouteSettings, 'ThrottlingRateLimit', 'ThrottlingBurstLimit'),
      routeThrottles: Object.fromEntries(
        Object.entries((sp.RouteSettings ?? {}) as Record<string, unknown>).flatMap(([key, s]) => {
          const t = throttleOf(s, 'ThrottlingRateLimit', 'ThrottlingBurstLimit');
          return t ? [[key, t]] : [];
        }),
      ),
      usagePlans: usagePlansOf(id, stageId, resources),
      policy,
      notEmulated,
    });
  }
  const props = (type: string) => new Map(ofType(type).map(([tid, t]) => [tid, (t.Properties ?? {}) as JsonObject]));
  return {
    outdir,
    gateways,
    functions,
    tables: props('AWS::DynamoDB::Table'),
    secrets: props('AWS::SecretsManager::Secret'),
    notEmulated: stackWide,
  };
}

function restStageThrottle(stage: Record<string, unknown>) {
  const all = ((stage.MethodSettings ?? []) as Record<string, unknown>[]).find((s) => s.ResourcePath === '/*' && s.HttpMethod === '*');
  return throttleOf(all, 'ThrottlingRateLimit', 'ThrottlingBurstLimit');
}

function throttleOf(settings: unknown, rateKey: string, burstKey: string) {
  const s = settings as Record<string, unknown> | undefined;
  if (!s || (s[rateKey] === undefined && s[burstKey] === undefined)) return undefined;
  return { rateLimit: Number(s[rateKey] ?? 10_000), burstLimit: Number(s[burstKey] ?? 5_000) };
}

function usagePlansOf(apiId: string, stageId: string | undefined, resources: CfnResources): LocalUsagePlan[] {
  const plans: LocalUsagePlan[] = [];
  for (const [planId, plan] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ApiGateway::UsagePlan')) {
    const p = plan.Properties ?? {};
    const stages = ((p.ApiStages ?? []) as JsonObject[]).filter((s) => s.ApiId?.Ref === apiId && (!stageId || s.Stage?.Ref === stageId));
    if (!stages.length) continue;
    const keys = Object.values(resources)
      .filter(
        (r) => r.Type === 'AWS::ApiGateway::UsagePlanKey' && (r.Properties?.UsagePlanId as { Ref?: string } | undefined)?.Ref === planId,
      )
      .map((r) => String((r.Properties?.KeyId as { Ref?: string } | undefined)?.Ref ?? ''))
      .map((keyId) => String(resources[keyId]?.Properties?.Name ?? keyId));
    const t = p.Throttle as { RateLimit?: number; BurstLimit?: number } | undefined;
    const q = p.Quota as { Limit?: number; Period?: 'DAY' | 'WEEK' | 'MONTH' } | undefined;
    const methodThrottles: Record<string, { rateLimit: number; burstLimit: number }> = {};
    for (const s of stages) {
      for (const [key, mt] of Object.entries((s.Throttle ?? {}) as Record<string, { RateLimit?: number; BurstLimit?: number }>)) {
        methodThrottles[key] = { rateLimit: Number(mt.RateLimit ?? 10_000), burstLimit: Number(mt.BurstLimit ?? 5_000) };
      }
    }
    plans.push({
      name: String(p.UsagePlanName ?? planId),
      throttle: t ? { rateLimit: Number(t.RateLimit ?? 10_000), burstLimit: Number(t.BurstLimit ?? 5_000) } : undefined,
      quota: q?.Limit !== undefined ? { limit: Number(q.Limit), period: q.Period ?? 'DAY' } : undefined,
      methodThrottles,
      keys,
    });
  }
  return plans;
}

/** S3 object key → file in the assembly, from every `*.assets.json` manifest. */
function assetFileIndex(outdir: string): Map<string, string> {
  const index = new Map<string, string>();
  for (const file of readdirSync(outdir).filter((f) => f.endsWith('.assets.json'))) {
    const manifest = JSON.parse(readFileSync(join(outdir, file), 'utf8')) as {
      files?: Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }>;
    };
    for (const asset of Object.values(manifest.files ?? {})) {
      for (const d of Object.values(asset.destinations)) index.set(d.objectKey, join(outdir, asset.source.path));
    }
  }
  return index;
}

function readS3Body(location: unknown, assets: Map<string, string>, outdir: string): unknown {
  const key = (location as { Key?: unknown } | undefined)?.Key;
  if (typeof key !== 'string') return undefined;
  const file = assets.get(key) ?? join(outdir, key);
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  return JSON.parse(text);
}
