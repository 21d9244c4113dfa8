// cdk-nag's AwsSolutions pack over Gatehouse's own resources (or, opted into, over the whole app) at synth.
import { Aspects, Stage, Validations, type IPolicyValidationPlugin, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
// Types only: cdk-nag is an optional peer dependency, loaded when a check is added (see loadCdkNag).
import type * as CdkNag from 'cdk-nag';
import type { Gatehouse } from './constructs/gatehouse';
import { invalidProps } from './constructs/validation-error';

export interface GatehouseChecksOptions {
  /**
   * Print each rule's explanation with its findings, not only its one-line summary.
   * @default false
   */
  readonly verbose?: boolean;
}

/**
 * Runs cdk-nag's AwsSolutions pack over the resources `gatehouse` creates (and its us-east-1 edge stack, if
 * any) when the app synthesizes; a finding fails `cdk synth`. The app's own resources are not checked.
 * Gatehouse acknowledges the findings it accepts on purpose, each with its reason, and those reasons are
 * written into the resources' Metadata (`cdk_nag.rules_to_suppress`) so a reviewer of the CloudFormation
 * sees them. Needs the `cdk-nag` package (an optional peer dependency).
 */
export function addGatehouseChecks(gatehouse: Gatehouse, options: GatehouseChecksOptions = {}): void {
  const nag = loadCdkNag(gatehouse);
  const scopes = (): IConstruct[] => (gatehouse.edgeStack ? [gatehouse, gatehouse.edgeStack] : [gatehouse]);
  const pack = new nag.AwsSolutionsChecks(undefined, { verbose: options.verbose });
  stageOf(gatehouse).addPlugins(new ScopedNagPlugin(pack, scopes));
  // Added per scope, not to the app, so the app's own templates are left as they were.
  for (const scope of scopes()) Aspects.of(scope).add(new nag.WriteNagSuppressionsToCloudFormationAspect());
}

/**
 * Opt-in: runs AwsSolutions over every resource of `app`, the user's own included (what this repository's
 * app does for the stack it ships). Prefer `addGatehouseChecks(gatehouse)` in an app with resources of its own.
 */
export function addAppWideChecks(app: Stage, options: GatehouseChecksOptions = {}): void {
  const nag = loadCdkNag(app);
  const pack = new nag.AwsSolutionsChecks(app, { verbose: options.verbose, writeSuppressionsToCloudFormation: true });
  stageOf(app).addPlugins(new ScopedNagPlugin(pack, () => [app]));
}

/** A cdk-nag pack run over chosen construct subtrees instead of the whole app it is registered with. */
class ScopedNagPlugin implements IPolicyValidationPlugin {
  /** The pack's own name (AwsSolutions), so reports read as cdk-nag's do. */
  public readonly name: string;
  public readonly version?: string;

  constructor(
    private readonly pack: CdkNag.NagPack,
    private readonly scopes: () => IConstruct[],
  ) {
    this.name = pack.name;
    this.version = pack.version;
  }

  public validate(): PolicyValidationPluginReport {
    const reports = this.scopes().map((scope) => this.pack.validateScope(scope));
    return { success: reports.every((r) => r.success), violations: reports.flatMap((r) => r.violations) };
  }
}

/** Validation plugins are registered on the nearest Stage (an App is one). */
function stageOf(scope: IConstruct): Validations {
  const stage = Stage.isStage(scope) ? scope : Stage.of(scope);
  if (!stage) throw invalidProps(scope, 'Gatehouse checks need the construct to be inside a CDK App or Stage');
  return Validations.of(stage);
}

/** cdk-nag is an optional peer dependency: only an app that adds checks needs it installed. */
function loadCdkNag(scope: IConstruct): typeof CdkNag {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('cdk-nag') as typeof CdkNag;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    throw invalidProps(scope, 'Gatehouse checks run cdk-nag, which is not installed: npm install --save-dev cdk-nag@^3');
  }
}
