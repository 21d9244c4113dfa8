// Values of a typed spec that other constructs fill in at deploy (CDK tokens): what synth could not check, and the Lambdas that cannot take them.
import { formatPath, type SpecIssue } from '../config/errors';
import type { GatehouseSpec } from '../config/schema';
import { tokenFields } from '../config/tokens';
import type { AggregatorPlan, JwtAuthorizerPlan, PlanWarning, ProxyPlan } from './types';

/** One DEPLOY_TIME_VALUES warning per field that holds a token: its literal parts were checked, the rest waits for deploy. */
export function deployTimeWarnings(spec: GatehouseSpec): PlanWarning[] {
  // A Cognito issuer's URL, audience and region derive from its pool id and clients: one warning each, where the user wrote them.
  const derived = new Set(
    Object.entries(spec.gateways).flatMap(([name, g]) =>
      (g.auth?.jwt?.issuers ?? []).flatMap((issuer, i) => {
        const at = formatPath(['gateways', name, 'auth', 'jwt', 'issuers', i]);
        return issuer.cognito ? [`${at}.issuer`, `${at}.audience`, `${at}.cognito.region`] : [];
      }),
    ),
  );
  const written = tokenFields(spec).filter(({ path }) => {
    const where = formatPath(path);
    return ![...derived].some((d) => where === d || where.startsWith(`${d}[`));
  });
  return written.map(({ path, value }) => ({
    code: 'DEPLOY_TIME_VALUES',
    where: formatPath(path),
    message: `${value} comes from another construct; synth checked its literal parts only, so its format (and for a URL its scheme, for an ARN its service and region) is first checked by CloudFormation at deploy`,
  }));
}

/**
 * The proxy, aggregator and authorizer carry their config baked into their bundle at synth, where a
 * token is only a placeholder; such a value is refused rather than deployed as the text `${Token[…]}`.
 */
export function bakedTokenIssues(
  gateway: string,
  proxies: readonly ProxyPlan[],
  aggregators: readonly AggregatorPlan[],
  authorizer: JwtAuthorizerPlan | undefined,
): SpecIssue[] {
  const issue = (path: (string | number)[], what: string): SpecIssue => ({
    path,
    where: formatPath(path),
    message: `${what} bakes its config into its bundle at synth, but a value here comes from another construct (a CDK token known only at deploy): give the literal value, or keep the route free of proxy features so API Gateway calls the upstream itself`,
  });
  return [
    ...proxies
      .filter((p) => tokenFields(p.config).length > 0)
      .map((p) => issue(['services', p.service], `the resilient proxy of service "${p.service}"`)),
    ...aggregators
      .filter((a) => tokenFields(a.config).length > 0)
      .map((a) => issue(['gateways', gateway, 'aggregates'], `the aggregator of "${a.name}"`)),
    ...(authorizer && tokenFields(authorizer.config).length > 0
      ? [
          {
            ...issue(['gateways', gateway, 'auth', 'jwt', 'issuers'], 'the JWT Lambda authorizer'),
            message:
              'the JWT Lambda authorizer bakes its issuers into its bundle at synth, but one comes from another construct (a CDK token known only at deploy): give the literal issuer or pool id, or use flavor: http, whose native JWT authorizer takes it at deploy',
          },
        ]
      : []),
  ];
}
