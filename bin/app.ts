#!/usr/bin/env node
// The CDK app: gatehouse.yaml (or -c config=path) → GatehouseStack, then a short summary of what was synthesized.
import { App } from 'aws-cdk-lib';
import { loadConfig } from '../lib/config/load';
import { GatehouseStack } from '../lib/stack';
import { DEFAULT_STACK_NAME } from '../lib/plan/observability';
import { addGatehouseChecks } from '../lib/checks';
import { runOrExplain, synthSummary } from '../lib/cli/report';
import { shippedAppProps } from '../lib/cli/app-props';
import { ConfigError } from '../lib/config/errors';
import { locateIssue, sourceOf } from '../lib/config/source';
import { shippedStackIssues } from '../lib/config/stack-rules';

runOrExplain(() => {
  // CDK's own template validation is opt-in (CDK_VALIDATION=true): see shippedAppProps for why.
  const app = new App(shippedAppProps());
  const configFile = String(app.node.tryGetContext('config') ?? process.env.GATEHOUSE_CONFIG ?? 'gatehouse.yaml');
  const stackName = String(app.node.tryGetContext('stackName') ?? DEFAULT_STACK_NAME);
  const spec = loadConfig(configFile);
  // The same stack checks `gatehouse validate` runs, so both fail alike and at the config's line.
  const stackIssues = shippedStackIssues(spec);
  if (stackIssues.length) throw new ConfigError(stackIssues.map((i) => locateIssue(i, sourceOf(spec))));
  const stack = new GatehouseStack(app, stackName, {
    spec,
    description: `Gatehouse API gateway from ${configFile}`,
  });
  addGatehouseChecks(stack.gatehouse);
  const assembly = app.synth();
  process.stderr.write(synthSummary(stack.gatehouse.plan, assembly) + '\n');
});
