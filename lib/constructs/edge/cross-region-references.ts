// Acknowledgements, with their reasons, for the providers CDK adds to pass the CloudFront web ACL's ARN from us-east-1 to the gateway's stack.
import { CfnResource, type Stack, Validations } from 'aws-cdk-lib';
import { internalError } from '../validation-error';

/** CDK's path prefix for the SSM parameters that carry cross-region references. */
const EXPORTS_PREFIX = 'cdk/exports/';
const BASIC_EXECUTION_ROLE = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

interface Acknowledgement {
  readonly id: string;
  readonly reason: string;
}

/**
 * CDK creates `Custom::CrossRegionExportWriter` (in the edge stack) and `Custom::CrossRegionExportReader` (in the
 * stack that uses the web ACL) while it prepares the app: after aspects ran, so after cdk-nag wrote acknowledgements
 * into template metadata, and before the templates are written. Construct validations run in that window, so the
 * acknowledgements are added from one, both for cdk-nag in the app and as `cdk_nag` metadata a reviewer of the
 * template (or cdk-nag over the template alone) can see. The validation itself never fails.
 */
export function acknowledgeCrossRegionReferences(writerStack: Stack, readerStack: Stack): void {
  writerStack.node.addValidation({
    validate: () => {
      // The writer may put parameters in the reader's region only (export-writer-provider in aws-cdk-lib).
      const parameters = writerStack.formatArn({
        service: 'ssm',
        resource: 'parameter',
        region: readerStack.region,
        resourceName: `${EXPORTS_PREFIX}*`,
      });
      acknowledgeProvider(writerStack, 'Custom::CrossRegionExportWriter', parameters, 'writes');
      return [];
    },
  });
  readerStack.node.addValidation({
    validate: () => {
      const parameters = readerStack.formatArn({
        service: 'ssm',
        resource: 'parameter',
        resourceName: `${EXPORTS_PREFIX}${readerStack.stackName}/*`,
      });
      acknowledgeProvider(readerStack, 'Custom::CrossRegionExportReader', parameters, 'reads');
      return [];
    },
  });
}

function acknowledgeProvider(stack: Stack, resourceType: string, parametersArn: string, verb: string): void {
  const role = stack.node.tryFindChild(`${resourceType}CustomResourceProvider`)?.node.tryFindChild('Role');
  if (!CfnResource.isCfnResource(role)) return;
  const what = `CDK's ${resourceType} provider (generated for the CloudFront web ACL's ARN, which lives in us-east-1)`;
  const acknowledgements: Acknowledgement[] = [
    {
      id: BASIC_EXECUTION_ROLE,
      reason: `${what}: CDK gives its function the AWS-managed basic execution policy, which only lets it write its own logs; the role is CDK's and cannot be changed from Gatehouse.`,
    },
    {
      id: `AwsSolutions-IAM5[Resource::${flatten(stack.resolve(parametersArn))}]`,
      reason: `${what}: it ${verb} the SSM parameters CDK names per reference under /${EXPORTS_PREFIX}; the prefix wildcard is the narrowest resource that covers names CDK generates.`,
    },
  ];
  Validations.of(role).acknowledge(...acknowledgements);
  // cdk-nag's metadata writer already ran (it is an aspect), so the template metadata is written here, in its format.
  const existing = (role.getMetadata('cdk_nag') as { rules_to_suppress?: Acknowledgement[] } | undefined)?.rules_to_suppress ?? [];
  const added = acknowledgements.filter((a) => !existing.some((e) => e.id === a.id));
  role.addMetadata('cdk_nag', { rules_to_suppress: [...existing, ...added] });
}

/** A resolved ARN as cdk-nag names it in a finding: `{ Ref: X }` becomes `<X>`, `Fn::Join` is joined. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const object = value as Record<string, unknown>;
  if (typeof object.Ref === 'string') return `<${object.Ref}>`;
  const join = object['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map(flatten).join(join[0]);
  throw internalError(`cannot name ${JSON.stringify(value)} the way a cdk-nag finding does`);
}
