// The conformance suite of one gateway, generated from its plan: which checks run, in which order.
import { apiKeyChecks } from './checks/api-keys';
import { authChecks } from './checks/auth';
import { gatewayErrorChecks, preflightCheck } from './checks/cors';
import { originVerifyChecks } from './checks/edge';
import { identityChecks } from './checks/identity';
import { methodChecks, unknownPathCheck } from './checks/methods';
import { dotSegmentChecks } from './checks/paths';
import { rateLimitChecks } from './checks/rate-limits';
import { validationChecks } from './checks/validation';
import type { CheckContext } from './context';
import type { VerifyCheck } from './types';

/**
 * Every check the gateway's plan calls for. The unknown-path check comes first: its answer is the "no route"
 * signature later checks compare with. Rate limits come last, so the requests they spend disturb nothing else.
 */
export function generateChecks(ctx: CheckContext): VerifyCheck[] {
  const { gateway } = ctx;
  const checks: VerifyCheck[] = [unknownPathCheck(ctx)];
  for (const route of gateway.routes) checks.push(...methodChecks(ctx, route));
  if (gateway.cors) for (const route of gateway.routes.filter((r) => r.features.cors)) checks.push(preflightCheck(ctx, route));
  checks.push(...gatewayErrorChecks(ctx));
  for (const route of gateway.routes.filter((r) => r.features.auth === 'jwt')) checks.push(...authChecks(ctx, route));
  checks.push(...identityChecks(ctx));
  for (const route of gateway.routes)
    checks.push(...apiKeyChecks(ctx, route), ...validationChecks(ctx, route), ...dotSegmentChecks(ctx, route));
  checks.push(...originVerifyChecks(ctx));
  checks.push(...rateLimitChecks(ctx));
  return checks;
}
