// How Gatehouse's constructs fail: aws-cdk-lib's ValidationError, tied to the construct so its path shows.
import { AssumptionError, ValidationError } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { ConfigError, formatIssues, INVALID_SPEC_CODE, type SpecIssue } from '../config/errors';

/*
 * aws-cdk-lib exports `ValidationError` from its root (it is what `Errors.isValidationError` recognises and what
 * the CDK CLI prints with the construct path), but marks the class `@internal`: it is absent from the API
 * reference, and its first parameter is a branded `LiteralString` that only aws-cdk-lib's own `lit` tag makes.
 * Its shape has been (name, message, scope) since at least 2.257.0; 2.269.0 is the oldest aws-cdk-lib Gatehouse supports,
 * and the packed-package test (test/package) synthesizes against that version. The documented, public part
 * is `Errors.isValidationError(err)`, which is what users should test errors with.
 */
type ErrorName = ConstructorParameters<typeof ValidationError>[0];

/** The error name (CDK prints it as «GatehouseInvalidSpec» before the message). */
const INVALID_SPEC = 'GatehouseInvalidSpec' as ErrorName;
const INVALID_PROPS = 'GatehouseInvalidProps' as ErrorName;
const INTERNAL = 'GatehouseInternalError' as ConstructorParameters<typeof AssumptionError>[0];

/**
 * An invalid config found while building a Gatehouse: the same list of problems `gatehouse validate`
 * prints, each with its path (and file:line for a config file), raised at the construct.
 */
export class GatehouseSpecError extends ValidationError {
  /** The same stable code as `ConfigError`, so one check covers both. */
  public readonly code = INVALID_SPEC_CODE;

  constructor(
    /** Every problem found, in the order `gatehouse validate` prints them. */
    public readonly issues: readonly SpecIssue[],
    scope: IConstruct,
  ) {
    super(INVALID_SPEC, formatIssues(issues), scope);
    // ValidationError resets the prototype to its own; keep this class's so `instanceof GatehouseSpecError` holds.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** Runs `build`; a ConfigError it throws becomes a ValidationError at `scope` with the same problems. */
export function atConstruct<T>(scope: IConstruct, build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof ConfigError) throw new GatehouseSpecError(err.issues, scope);
    throw err;
  }
}

/**
 * A construct-time check failed: props that do not fit together, or a plan that does not fit the construct
 * it was given to (lower-level constructs take plans, so a mismatch is the caller's input, not a Gatehouse bug).
 */
export function invalidProps(scope: IConstruct, message: string): ValidationError {
  return new ValidationError(INVALID_PROPS, message, scope);
}

/**
 * A state Gatehouse's own code should never reach (aws-cdk-lib's AssumptionError: "always indicates a bug in
 * the construct"), for renderers that find a plan inconsistent with itself. Prefer `invalidProps` when a caller's
 * input can cause it.
 */
export function internalError(message: string): AssumptionError {
  return new AssumptionError(INTERNAL, `Gatehouse internal error: ${message}`);
}

/** A gateway construct given the other flavor's plan (the props are typed per flavor; JavaScript callers are not). */
export function checkPlanFlavor(
  scope: IConstruct,
  plan: { readonly name: string; readonly flavor: string },
  flavor: 'rest' | 'http',
): void {
  if (plan.flavor === flavor) return;
  const [mine, other] = flavor === 'rest' ? ['RestGateway', 'HttpGateway'] : ['HttpGateway', 'RestGateway'];
  throw invalidProps(scope, `${mine} "${plan.name}": the plan is for flavor "${plan.flavor}"; use ${other}`);
}
