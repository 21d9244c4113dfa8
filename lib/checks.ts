// Registers the checks every Gatehouse app runs at synth: cdk-nag's AwsSolutions pack.
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Adds cdk-nag AwsSolutions to the app. Acknowledged findings are written into each resource's
 * Metadata (`cdk_nag.rules_to_suppress`) so a reviewer of the CloudFormation sees every reason.
 */
export function addGatehouseChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
}
