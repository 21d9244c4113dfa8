// Reading an assembly directory: definitions with intrinsics resolved, function assets and environment, what local cannot honour.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAssembly } from '../../lib/local/assembly';

function assemblyWith(resources: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-local-assembly-'));
  writeFileSync(join(dir, 'Test.template.json'), JSON.stringify({ Resources: resources }));
  return dir;
}

const uri = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':apigateway:',
      { Ref: 'AWS::Region' },
      ':lambda:path/2015-03-31/functions/',
      { 'Fn::GetAtt': ['Fn', 'Arn'] },
      '/invocations',
    ],
  ],
};

describe('readAssembly', () => {
  const dir = assemblyWith({
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] } },
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: 'my-fn',
        Handler: 'index.handler',
        Runtime: 'nodejs22.x',
        Timeout: 7,
        Environment: { Variables: { TABLE: { Ref: 'Table' } } },
      },
      Metadata: { 'aws:asset:path': 'asset.abc' },
    },
    Api: {
      Type: 'AWS::ApiGateway::RestApi',
      Properties: {
        Body: {
          swagger: '2.0',
          info: { title: 'api' },
          paths: { '/x': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', uri } } } },
        },
        Policy: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 'execute-api:Invoke',
              Resource: '*',
              Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
            },
          ],
        },
      },
    },
    Stage: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: {
        RestApiId: { Ref: 'Api' },
        StageName: 'v1',
        TracingEnabled: true,
        MethodSettings: [{ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 }],
      },
    },
  });
  const assembly = readAssembly(dir);

  it('GIVEN a Lambda integration URI with Fn::GetAtt THEN it resolves to the function ARN of its FunctionName', () => {
    expect(assembly.gateways[0]!.definition.paths['/x'].get['x-amazon-apigateway-integration'].uri).toBe(
      'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:my-fn/invocations',
    );
  });

  it('GIVEN a function THEN its asset directory, timeout and environment with Refs resolved to local stand-ins', () => {
    expect(assembly.functions.get('my-fn')).toMatchObject({
      logicalId: 'Fn',
      codeDir: join(dir, 'asset.abc'),
      timeoutSeconds: 7,
      environment: { TABLE: 'Table' },
    });
    expect([...assembly.tables.keys()]).toEqual(['Table']);
  });

  it('GIVEN the stage THEN its name and throttle; tracing and aws:SourceVpce conditions are listed as not emulated', () => {
    const g = assembly.gateways[0]!;
    expect([g.name, g.flavor, g.stageName, g.stageThrottle]).toEqual(['api', 'rest', 'v1', { rateLimit: 5, burstLimit: 10 }]);
    expect(g.notEmulated.join('\n')).toMatch(/X-Ray tracing/);
    expect(g.notEmulated.join('\n')).toMatch(/aws:SourceVpc\/aws:SourceVpce/);
  });
});
