// The synthesized templates of every shipped config, read the way a reviewer (or CloudFormation) reads them: cdk-nag over
// the templates alone, partitions in ARNs, physical names that survive a second region and a second create.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/config/load';
import { synthSpec } from './support/synth';
import { scaled } from './support/time-factor';

const root = join(__dirname, '..');
const configs = [
  'gatehouse.yaml',
  ...readdirSync(join(root, 'examples'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `examples/${f}`),
];

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly Metadata?: { cdk_nag?: { rules_to_suppress?: { id: string; reason: string }[] } };
}
interface Shipped {
  readonly spec: unknown;
  readonly outdir: string;
  /** The stack's region as written in the templates: a literal, or a { Ref: AWS::Region }. */
  readonly region: unknown;
  readonly templates: Record<string, { Resources: Record<string, Resource> }>;
  readonly edgeStackName?: string;
}

/** Resources whose names are global to the account (not per region), and where the name is. */
const ACCOUNT_GLOBAL_NAMES: Record<string, readonly string[]> = {
  'AWS::CloudFront::CachePolicy': ['CachePolicyConfig', 'Name'],
  'AWS::CloudFront::ResponseHeadersPolicy': ['ResponseHeadersPolicyConfig', 'Name'],
  'AWS::CloudFront::OriginRequestPolicy': ['OriginRequestPolicyConfig', 'Name'],
  'AWS::CloudFront::Function': ['Name'],
  'AWS::CloudFront::KeyValueStore': ['Name'],
  'AWS::CloudWatch::Dashboard': ['DashboardName'],
  'AWS::IAM::Role': ['RoleName'],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName'],
  'AWS::S3::Bucket': ['BucketName'],
};

/** A resource's physical name, when the template sets one: `<Type>Name` (LogGroupName, TableName, …), `Name`, or the global ones' paths. */
function physicalName(resource: Resource): unknown {
  const props = resource.Properties ?? {};
  const path = ACCOUNT_GLOBAL_NAMES[resource.Type];
  if (path) return path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], props);
  return props[`${resource.Type.split('::')[2]}Name`] ?? props.Name;
}

const mentions = (value: unknown, part: unknown) => JSON.stringify(value).includes(typeof part === 'string' ? part : JSON.stringify(part));
const STACK_ID = { Ref: 'AWS::StackId' };

/** Every ARN the config itself supplies (certificates, topics): those are the user's to write. */
function configArns(value: unknown): string[] {
  if (typeof value === 'string') return value.startsWith('arn:') ? [value] : [];
  if (value && typeof value === 'object') return Object.values(value).flatMap(configArns);
  return [];
}

/**
 * cdk-nag AwsSolutions over one template included in a fresh app: the only acknowledgements are the ones written in
 * the template (`Metadata.cdk_nag.rules_to_suppress`), each of which must give a reason.
 */
function unacknowledgedFindings(templateFile: string): string[] {
  const stack = new Stack(new App(), 'Included');
  new CfnInclude(stack, 'Template', { templateFile });
  for (const resource of stack.node.findAll().filter(CfnResource.isCfnResource)) {
    const written = (resource.cfnOptions.metadata?.cdk_nag?.rules_to_suppress ?? []) as { id: string; reason: string }[];
    for (const { id, reason } of written) {
      expect(reason, `${templateFile} ${resource.logicalId} ${id}`).toMatch(/\w{3,}.{20,}/);
      Validations.of(resource).acknowledge({ id, reason });
    }
  }
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${templateFile}: ${v.ruleName} at ${r.constructPath}`));
}

describe('the synthesized templates of every shipped config', () => {
  const shipped = new Map<string, Shipped | Error>();
  beforeAll(() => {
    // One synth per config (cdk-nag on, as bin/app.ts runs it), shared by every check below.
    for (const config of configs) {
      try {
        const spec = loadConfig(join(root, config));
        const s = synthSpec(spec);
        const templates: Shipped['templates'] = {};
        for (const file of readdirSync(s.outdir).filter((f) => f.endsWith('.template.json'))) {
          templates[file] = JSON.parse(readFileSync(join(s.outdir, file), 'utf8'));
        }
        const region = s.stack.resolve(s.stack.region);
        shipped.set(config, { spec, outdir: s.outdir, region, templates, edgeStackName: s.stack.gatehouse.edgeStack?.stackName });
      } catch (err) {
        shipped.set(config, err as Error);
      }
    }
  }, scaled(300_000));

  const get = (config: string): Shipped => {
    const s = shipped.get(config);
    if (!s || s instanceof Error) throw s ?? new Error(`${config} was not synthesized`);
    return s;
  };

  it.each(configs)('synthesizes %s with every cdk-nag finding acknowledged in the app', (config) => {
    expect(get(config).templates).not.toEqual({});
  });

  it.each(configs)('cdk-nag AwsSolutions over the templates of %s alone finds nothing the templates do not acknowledge', (config) => {
    const { outdir, templates } = get(config);
    expect(Object.keys(templates).flatMap((file) => unacknowledgedFindings(join(outdir, file)))).toEqual([]);
  });

  it.each(configs)('writes every ARN of %s with the partition as a reference, never arn:aws: literally', (config) => {
    const { spec, templates } = get(config);
    for (const [file, template] of Object.entries(templates)) {
      let text = JSON.stringify(template);
      for (const arn of configArns(spec)) text = text.split(arn).join('<arn from the config>');
      expect(text.match(/.{0,80}arn:aws(-[a-z]+)*:.{0,40}/g) ?? [], file).toEqual([]);
    }
  });

  it.each(configs)('names the account-global resources of %s uniquely per region', (config) => {
    const { region, templates } = get(config);
    const offenders = Object.entries(templates).flatMap(([file, t]) =>
      Object.entries(t.Resources)
        .filter(([, r]) => r.Type in ACCOUNT_GLOBAL_NAMES && physicalName(r) !== undefined && !mentions(physicalName(r), region))
        .map(([id, r]) => `${file} ${id} ${r.Type}: ${JSON.stringify(physicalName(r))}`),
    );
    expect(offenders).toEqual([]);
  });

  it.each(configs)(
    "names everything in %s's us-east-1 edge stack (shared by every home region) after its home region or stack instance",
    (config) => {
      const { region, templates, edgeStackName } = get(config);
      const edge = Object.entries(templates).filter(([file]) => file.endsWith('Edge.template.json'));
      if (!edgeStackName) return expect(edge).toEqual([]);
      expect(edgeStackName).toContain(region as string);
      const offenders = edge.flatMap(([file, t]) =>
        Object.entries(t.Resources)
          .filter(([, r]) => physicalName(r) !== undefined && !mentions(physicalName(r), region) && !mentions(physicalName(r), STACK_ID))
          .map(([id, r]) => `${file} ${id}: ${JSON.stringify(physicalName(r))}`),
      );
      expect(offenders).toEqual([]);
    },
  );

  it.each(configs)('retains no resource of %s under a name the next create of the stack would reuse', (config) => {
    const { templates } = get(config);
    const retained = Object.entries(templates).flatMap(([file, t]) =>
      Object.entries(t.Resources)
        .filter(([, r]) => r.DeletionPolicy === 'Retain' || r.DeletionPolicy === 'RetainExceptOnCreate' || r.DeletionPolicy === 'Snapshot')
        .map(([id, r]) => ({ where: `${file} ${id} ${r.Type}`, name: physicalName(r) })),
    );
    // A retained resource with a fixed name makes the next create fail ("already exists") after a rollback or a destroy.
    expect(
      retained.filter((r) => r.name !== undefined && !mentions(r.name, STACK_ID)).map((r) => `${r.where}: ${JSON.stringify(r.name)}`),
    ).toEqual([]);
  });
});

// Apps made with `cdk init` turn @aws-cdk/core:enablePartitionLiterals on: CDK then writes the partition of a known
// region literally in the ARNs it forms. Gatehouse's own ARNs must not depend on that flag.
describe('with @aws-cdk/core:enablePartitionLiterals on (a cdk init app importing Gatehouse)', () => {
  const s = synthSpec(loadConfig(join(root, 'examples/edge.yaml')), { context: { '@aws-cdk/core:enablePartitionLiterals': true } });
  const files = readdirSync(s.outdir).filter((f) => f.endsWith('.template.json'));

  it("writes arn:aws: only in CDK's cross-region reference roles, never in a resource Gatehouse creates", () => {
    const literal = files.flatMap((file) =>
      Object.entries(s.templates[file]!.Resources ?? {})
        .filter(([, r]) => /arn:aws:(?!acm:)/.test(JSON.stringify(r.Properties)))
        .map(([id]) => `${file} ${id}`),
    );
    expect(literal.sort()).toEqual([
      expect.stringMatching(/^Test.template.json CustomCrossRegionExportReaderCustomResourceProviderRole/),
      expect.stringMatching(/^TestEdge.template.json CustomCrossRegionExportWriterCustomResourceProviderRole/),
    ]);
  });

  it('still acknowledges those roles in the templates under the ids cdk-nag gives their findings', () => {
    expect(files.flatMap((file) => unacknowledgedFindings(join(s.outdir, file)))).toEqual([]);
  });
});
