// The one way Gatehouse ships a handler: bundled at synth, Node.js 22 on arm64, its own log group, Powertools settings.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { bundleHandler } from './bundling/bundle-handler';
import { METRICS_NAMESPACE } from '../../lambdas/contract/metric-names';

export interface HandlerFunctionProps {
  /** `lambdas/<handler>.ts` without the extension, e.g. `authorizer/handler`. */
  readonly handler: string;
  /** Constants substituted at bundle time (esbuild `define`), e.g. a baked config. */
  readonly define?: Record<string, string>;
  /** Packages the baked config never loads, left out of the bundle. @default - none */
  readonly leaveOut?: readonly string[];
  readonly description: string;
  /** POWERTOOLS_SERVICE_NAME: the `service` on its log lines and the dimension of its metrics. */
  readonly serviceName: string;
  readonly timeout: Duration;
  readonly environment?: Record<string, string>;
  /** @default false */
  readonly tracing?: boolean;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default 256 */
  readonly memoryMb?: number;
  /** @default - the account's unreserved concurrency */
  readonly reservedConcurrency?: number;
  /**
   * Subnets and security groups to place the function in (to reach internal upstreams). Given as
   * ids so a config needs no VPC lookup at synth, which would need an AWS account.
   * @default - not in a VPC
   */
  readonly vpc?: { readonly subnetIds: readonly string[]; readonly securityGroupIds: readonly string[] };
}

export interface HandlerFunction {
  readonly function: lambda.Function;
  readonly logGroup: logs.LogGroup;
  /** Minified bundle size in bytes, as built at synth. */
  readonly bundleBytes: number;
}

/** Creates `Function` and `Logs` in `scope` (their ids are part of each construct's public API). */
export function createHandlerFunction(scope: Construct, props: HandlerFunctionProps): HandlerFunction {
  // One directory per handler and defines, so the asset hash follows the code and the baked data only.
  const key = createHash('sha256')
    .update(JSON.stringify([props.handler, props.define ?? {}, ...(props.leaveOut?.length ? [props.leaveOut] : [])]))
    .digest('hex')
    .slice(0, 16);
  const dir = join(tmpdir(), `gatehouse-${props.handler.replace(/\W+/g, '-')}-${key}`);
  mkdirSync(dir, { recursive: true });
  const bundle = bundleHandler(props.handler, dir, props.define, props.leaveOut);

  const logGroup = new logs.LogGroup(scope, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH });
  const fn = new lambda.Function(scope, 'Function', {
    description: props.description,
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(dir),
    memorySize: props.memoryMb ?? 256,
    reservedConcurrentExecutions: props.reservedConcurrency,
    timeout: props.timeout,
    tracing: props.tracing ? lambda.Tracing.ACTIVE : undefined,
    logGroup,
    environment: { POWERTOOLS_SERVICE_NAME: props.serviceName, POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE, ...props.environment },
  });
  if (props.vpc) placeInVpc(fn, props.vpc);
  const v = Validations.of(fn);
  v.acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'Gatehouse handlers target Node.js 22 (the runtime they are built and tested for); a runtime upgrade is a deliberate release.',
  });
  v.acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: "AWSLambdaBasicExecutionRole only allows writing the function's own CloudWatch logs.",
  });
  if (props.tracing) {
    v.acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords take no resource ARN; CDK adds them for active tracing.',
    });
  }
  return { function: fn, logGroup, bundleBytes: bundle.bytes };
}

/**
 * Lambda's VPC settings from plain ids: `lambda.Function`'s own `vpc` prop wants an `IVpc`, which
 * from ids alone would need a lookup (an AWS call at synth). The role gets the managed policy that
 * lets Lambda create the network interfaces, as CDK does for `vpc`.
 */
function placeInVpc(fn: lambda.Function, vpc: NonNullable<HandlerFunctionProps['vpc']>): void {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  cfn.vpcConfig = { subnetIds: [...vpc.subnetIds], securityGroupIds: [...vpc.securityGroupIds] };
  fn.role?.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'));
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
    reason: 'AWSLambdaVPCAccessExecutionRole only lets Lambda manage the network interfaces of a function placed in a VPC.',
  });
}
