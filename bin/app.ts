#!/usr/bin/env node
// The CDK app: gatehouse.yaml (or -c config=path) → GatehouseStack, then a short summary of what was synthesized.
import { App } from 'aws-cdk-lib';
import { loadSpec } from '../lib/spec/load';
import { GatehouseStack } from '../lib/stack';
import { addGatehouseChecks } from '../lib/checks';
import { runOrExplain, synthSummary } from '../lib/cli/report';

runOrExplain(() => {
  const app = new App();
  const configFile = String(app.node.tryGetContext('config') ?? process.env.GATEHOUSE_CONFIG ?? 'gatehouse.yaml');
  const stackName = String(app.node.tryGetContext('stackName') ?? 'Gatehouse');
  const spec = loadSpec(configFile);
  const stack = new GatehouseStack(app, stackName, {
    spec,
    description: `Gatehouse API gateway from ${configFile}`,
  });
  addGatehouseChecks(stack.gatehouse);
  const assembly = app.synth();
  process.stderr.write(synthSummary(stack.gatehouse.plan, assembly) + '\n');
});
