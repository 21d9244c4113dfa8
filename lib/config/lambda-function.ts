// `services.<name>.lambda`: a Lambda function as the upstream, written as an ARN, a name or name:qualifier (or, in TypeScript, the function itself).
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { z } from 'zod';
import { orToken } from './tokens';

/**
 * Lambda's function name and qualifier alphabets (Invoke's FunctionName and Qualifier:
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html): a name of up to 64 letters, digits, "-" and "_";
 * a qualifier is `$LATEST`, a version number or an alias of up to 128 such characters.
 */
const NAME = '[A-Za-z0-9_-]{1,64}';
const QUALIFIER = '(?:\\$LATEST|[A-Za-z0-9_-]{1,128})';
const FUNCTION_NAME = new RegExp(`^${NAME}(?::${QUALIFIER})?$`);
const FUNCTION_RESOURCE = new RegExp(`^function:${NAME}(?::${QUALIFIER})?$`);

/** The parts of an ARN (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). */
export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const m = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/.exec(arn);
  return m ? { partition: m[1]!, service: m[2]!, region: m[3]!, account: m[4]!, resource: m[5]! } : undefined;
}

/** The partition a region is in, from its prefix (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

/** What is wrong with a literal `lambda` value, or undefined when it is a function ARN, name or name:qualifier. */
export function lambdaRefProblem(value: string): string | undefined {
  if (value.startsWith('arn:')) {
    const arn = parseArn(value);
    if (!arn)
      return `${value} is not an ARN: a function ARN is arn:<partition>:lambda:<region>:<account>:function:<name>[:<alias or version>]`;
    if (arn.service !== 'lambda')
      return `${value} is an ARN of ${arn.service}, not of a Lambda function: give arn:${arn.partition}:lambda:<region>:<account>:function:<name>`;
    if (!arn.region || !arn.account)
      return `${value} names no region or account: a function ARN is arn:${arn.partition}:lambda:<region>:<account>:function:<name>`;
    if (!FUNCTION_RESOURCE.test(arn.resource))
      return `${value} is a Lambda ARN but not of a function (${arn.resource.split(':')[0]}): give function:<name>[:<alias or version>]`;
    return undefined;
  }
  if (FUNCTION_NAME.test(value)) return undefined;
  return `${JSON.stringify(value)} is no function: give its ARN (arn:aws:lambda:<region>:<account>:function:<name>), its name (1-64 letters, digits, "-", "_"), or name:<alias or version>`;
}

/** The parts of a `lambda` value that is an ARN; undefined for a name (which is the stack's own account and region). */
export function lambdaArnOf(value: string): ParsedArn | undefined {
  return value.startsWith('arn:') ? parseArn(value) : undefined;
}

const lambdaString = orToken(
  z.string().superRefine((value, ctx) => {
    const problem = lambdaRefProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
);

/** A CDK function, alias or version (all `IFunction`): its ARN, qualified for an alias or version, is what gets invoked. */
const LAMBDA_TAKES = 'lambda is a function ARN, name or name:alias (or, in a TypeScript spec, a lambda.IFunction, IAlias or IVersion)';
const lambdaConstruct = z
  .custom<IFunction>(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      typeof (v as IFunction).functionArn === 'string' &&
      typeof (v as IFunction).functionName === 'string',
    LAMBDA_TAKES,
  )
  .transform((fn) => fn.functionArn);

/** `services.<name>.lambda`: resolved to a string (a literal, or the construct's ARN token). */
export const lambdaFunctionSchema = z.union([lambdaString, lambdaConstruct], { error: LAMBDA_TAKES });

/** `services.<name>.payload`: the event version API Gateway (or the proxy) sends the function. */
export const lambdaPayloadSchema = z.enum(['1.0', '2.0']);
