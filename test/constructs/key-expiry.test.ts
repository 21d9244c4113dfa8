import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { DEFAULT_KEY_EXPIRY_SCHEDULE, KEY_EXPIRY_SERVICE_NAME, METRIC } from '../../lambdas/contract/key-expiry';
import { METRICS_NAMESPACE } from '../../lambdas/contract/metric-names';
import { baseSpec, synthSpec } from '../support/synth';

const withPlans = (account: Record<string, unknown> = {}) => ({ ...baseSpec({ plans: { standard: {} } }), account });

describe('KeyExpiry', () => {
  const s = synthSpec(withPlans({ keyExpiry: { warningDays: 21 } }));

  it('runs a Node.js 22 function daily when some gateway has usage plans', () => {
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: KEY_EXPIRY_SERVICE_NAME,
          GATEHOUSE_KEY_EXPIRY_WARNING_DAYS: '21',
          POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        },
      },
    });
    s.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: DEFAULT_KEY_EXPIRY_SCHEDULE,
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
  });

  it('may only read and disable API keys', () => {
    s.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['apigateway:GET', 'apigateway:PATCH'],
            Resource: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, '::/apikeys']] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, '::/apikeys/*']] },
            ],
          }),
        ]),
      },
    });
  });

  it('alarms on keys expiring soon, under the metric and service the function publishes, and on failed runs', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'gatehouse-api-keys-expiring-soon',
      Namespace: METRICS_NAMESPACE,
      MetricName: METRIC.expiringSoon,
      Dimensions: [{ Name: 'service', Value: KEY_EXPIRY_SERVICE_NAME }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [Match.objectLike({ Ref: Match.stringLikeRegexp('AlarmTopic') })],
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'gatehouse-key-expiry-failed',
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
    });
  });

  it("matches the plan's resource estimate", () => {
    expect(Object.keys(s.templates['Test.template.json']!.Resources!)).toHaveLength(s.stack.gatehouse.plan.stackResources);
  });

  it('bundles a handler that loads in a fresh Node.js process', () => {
    const asset = readdirSync(s.outdir)
      .filter((f) => f.startsWith('asset.'))
      .map((f) => join(s.outdir, f, 'index.js'));
    const loaded = asset.map((file) =>
      spawnSync(process.execPath, ['-e', `const m = require(${JSON.stringify(file)}); process.stdout.write(typeof m.handler)`], {
        encoding: 'utf8',
        // @aws-sdk/* is external, as on Lambda's runtime; here it comes from the repo's node_modules.
        env: { ...process.env, NODE_PATH: join(__dirname, '../../node_modules'), AWS_REGION: 'us-east-1' },
      }),
    );
    expect(loaded.map((r) => r.stdout)).toContain('function');
  });

  it('is not created without usage plans, or when turned off', () => {
    synthSpec(baseSpec(), { nag: false }).template.resourceCountIs('AWS::Events::Rule', 0);
    synthSpec(withPlans({ keyExpiry: { enabled: false } }), { nag: false }).template.resourceCountIs('AWS::Events::Rule', 0);
  });
});
