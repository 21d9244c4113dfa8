// Synth warnings of a config loaded from a file point at its line and say how to acknowledge them in the file.
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/load';
import { synthSpec } from '../support/synth';

const yaml = [
  'services:',
  '  users: { url: "https://u.example.com" }',
  'gateways:',
  '  public:',
  '    cors: { origins: ["https://app.example.com"] }',
  '    routes: [{ service: users, paths: [/a] }]',
  '',
].join('\n');

describe('synth warnings of a YAML config', () => {
  it('GIVEN a planner warning WHEN synthesized THEN the annotation starts at file:line:col and names the config acknowledgement, not a CDK one', () => {
    const { stack } = synthSpec(parseConfig(yaml, 'gw.yaml'), { nag: false });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('CORS_RESPONSE_HEADERS_FROM_UPSTREAM'));
    expect(warnings).toHaveLength(1);
    const text = String(warnings[0]!.entry.data);
    expect(text).toMatch(/^gw\.yaml:5:5 gateways\.public\.cors: REST proxy integrations/);
    expect(text).toContain('acknowledge: [{ code: CORS_RESPONSE_HEADERS_FROM_UPSTREAM, where: gateways.public.cors, reason: … }]');
    expect(text).not.toContain('[ack:');
    // No stack trace: the CDK CLI would print its first user frame (lib/constructs/gatehouse.ts) as the warning's location.
    expect(warnings[0]!.entry.trace).toBeUndefined();
  });
});
