// cdk-nag AwsSolutions runs at synth: the checks really run, and each acknowledgement is visible in the template.
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { describe, expect, it } from 'vitest';
import { addAppWideChecks } from '../../lib/checks';
import { baseSpec, synthSpec } from '../support/synth';

describe('cdk-nag AwsSolutions', () => {
  it('fails synth for a plain REST API that logs nothing and authorizes nothing (the checks really run)', () => {
    const app = new App();
    const stack = new Stack(app, 'Plain');
    new apigw.RestApi(stack, 'Api', { cloudWatchRole: false }).root.addMethod('GET', new apigw.MockIntegration());
    addAppWideChecks(app);
    expect(() => app.synth()).toThrow(/AwsSolutions-APIG4/);
  });

  // Each shipped config synthesizes with every finding acknowledged, and cdk-nag over its templates alone agrees:
  // test/templates.test.ts (one synth per config, shared with the template checks).

  it('writes each acknowledgement and its reason into the resource metadata', () => {
    const s = synthSpec(baseSpec({ stage: { accessLogs: { enabled: false }, executionLogs: 'OFF' } }));
    const suppressed = (type: string) =>
      Object.values(s.template.findResources(type)).flatMap(
        (r) => (r.Metadata?.cdk_nag?.rules_to_suppress ?? []) as { id: string; reason: string }[],
      );
    expect(suppressed('AWS::ApiGateway::RestApi')).toEqual([
      expect.objectContaining({ id: 'AwsSolutions-APIG2', reason: expect.stringMatching(/validate/) }),
    ]);
    expect(
      suppressed('AWS::ApiGateway::Stage')
        .map((r) => r.id)
        .sort(),
    ).toEqual(['AwsSolutions-APIG1', 'AwsSolutions-APIG3', 'AwsSolutions-APIG6']);
    expect(suppressed('AWS::ApiGateway::Stage').find((r) => r.id === 'AwsSolutions-APIG1')!.reason).toMatch(/accessLogs.enabled: false/);
  });

  it('does not acknowledge logging findings when logs are on', () => {
    const s = synthSpec(baseSpec());
    const ids = Object.values(s.template.findResources('AWS::ApiGateway::Stage')).flatMap((r) =>
      ((r.Metadata?.cdk_nag?.rules_to_suppress ?? []) as { id: string }[]).map((x) => x.id),
    );
    expect(ids).toEqual(['AwsSolutions-APIG3']);
  });
});
