// What the app and the CLI print: config errors without stack traces, and the post-synth summary.
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isInvalidSpecError } from '../config/errors';
import { CFN_RESOURCES_PER_STACK, CFN_TEMPLATE_BYTES, CFN_WARN_RATIO } from '../config/limits';
import type { Plan } from '../plan/types';

/** Runs `main`; a config error prints its problems and exits 1, anything else is a real bug and keeps its trace. */
export function runOrExplain(main: () => void): void {
  try {
    main();
  } catch (err) {
    if (isInvalidSpecError(err)) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/** Gateways, routes, and per-stack resources and bytes as measured in the synthesized templates. */
export function synthSummary(plan: Plan, assembly: CloudAssembly): string {
  const lines = [`Gatehouse: ${plan.gateways.length} gateway(s), ${plan.gateways.reduce((n, g) => n + g.routes.length, 0)} route path(s)`];
  for (const g of plan.gateways)
    lines.push(`  ${g.name}: ${g.routes.length} route path(s), ${g.estimate.stackResources} CloudFormation resources`);
  for (const stack of assembly.stacks) {
    for (const [name, template] of templatesOf(stack)) {
      const resources = Object.keys((template as { Resources?: object }).Resources ?? {}).length;
      const bytes = Buffer.byteLength(JSON.stringify(template));
      const near = resources > CFN_RESOURCES_PER_STACK * CFN_WARN_RATIO || bytes > CFN_TEMPLATE_BYTES * CFN_WARN_RATIO;
      // The main stack's count is the one `gatehouse explain` prints as "Stack: N of 500"; printed side by side so a drift shows.
      const estimate = name === stack.stackName ? ` (gatehouse explain estimated ${plan.stackResources})` : '';
      lines.push(
        `  stack ${name}: ${resources}/${CFN_RESOURCES_PER_STACK} resources${estimate}, ${(bytes / 1000).toFixed(1)} kB${near ? '  WARNING: above 80% of a CloudFormation limit' : ''}`,
      );
    }
  }
  lines.push(
    `  templates: ${assembly.directory}/*.template.json (cdk.json sets "quiet", so cdk synth prints this summary instead of the template)`,
  );
  return lines.join('\n');
}

function templatesOf(stack: CloudAssembly['stacks'][number]): [string, unknown][] {
  const out: [string, unknown][] = [[stack.stackName, stack.template]];
  // Nested stack templates are assets next to the parent: *.nested.template.json
  for (const file of readdirSync(stack.assembly.directory)) {
    if (file.startsWith(stack.stackName) && file.endsWith('.nested.template.json')) {
      out.push([file.replace('.nested.template.json', ''), JSON.parse(readFileSync(join(stack.assembly.directory, file), 'utf8'))]);
    }
  }
  return out;
}
