// The App settings of the CDK app this repository ships (bin/app.ts): what differs from aws-cdk-lib's defaults, and why.
import type { AppProps } from 'aws-cdk-lib';

/** The environment variable that turns CDK's built-in template validation back on (`true`); CDK's own name for it. */
export const CDK_VALIDATION_ENV = 'CDK_VALIDATION';

/**
 * CDK's built-in template validation (the CloudFormation Validate plugin aws-cdk-lib registers by default) is
 * opt-in here: on the shipped gatehouse.yaml it took about 10 s of a 13 s synth, most of it loading its engine;
 * its findings are warnings unless `@aws-cdk/core:validateAgainstDefaultRules` makes them errors; it does not read
 * assets such as a definition in BodyS3Location; and the tests run cfn-lint over every template. cdk-nag
 * (`addGatehouseChecks`) is a separate plugin and stays on. `CDK_VALIDATION=true` turns the built-in one back on.
 * Knob: `AppProps.builtinCloudFormationValidation`, https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.AppProps.html
 */
export function shippedAppProps(env: NodeJS.ProcessEnv = process.env): AppProps {
  return { builtinCloudFormationValidation: env[CDK_VALIDATION_ENV]?.trim().toLowerCase() === 'true' };
}
