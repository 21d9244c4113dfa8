import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { shippedAppProps } from '../../lib/cli/app-props';

/** Synthesizes a one-resource app with the shipped props; CDK writes validation-report.json only when a validation plugin ran. */
function validationRan(env: NodeJS.ProcessEnv): boolean {
  const outdir = mkdtempSync(join(tmpdir(), 'gatehouse-app-props-'));
  const app = new App({ ...shippedAppProps(env), outdir });
  new CfnResource(new Stack(app, 'S'), 'Topic', { type: 'AWS::SNS::Topic' });
  app.synth();
  return existsSync(join(outdir, 'validation-report.json'));
}

describe('the shipped CDK app settings', () => {
  it("leave CDK's built-in template validation off by default", () => {
    expect(shippedAppProps({}).builtinCloudFormationValidation).toBe(false);
    expect(validationRan({})).toBe(false);
  });

  it('turn it on with CDK_VALIDATION=true, as CDK names the setting', () => {
    expect(shippedAppProps({ CDK_VALIDATION: 'true' }).builtinCloudFormationValidation).toBe(true);
    expect(shippedAppProps({ CDK_VALIDATION: 'TRUE' }).builtinCloudFormationValidation).toBe(true);
    expect(validationRan({ CDK_VALIDATION: 'true' })).toBe(true);
  });

  it.each(['false', '', '1'])('leave it off for CDK_VALIDATION=%j', (value) => {
    expect(shippedAppProps({ CDK_VALIDATION: value }).builtinCloudFormationValidation).toBe(false);
  });
});
