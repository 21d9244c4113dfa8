// Evaluates an authorizer policy the way API Gateway does, written apart from lambdas/ so tests check it independently.

interface Statement {
  readonly Action: string | readonly string[];
  readonly Effect: string;
  readonly Resource: string | readonly string[];
}

export interface PolicyLike {
  readonly Statement: readonly Statement[];
}

/** Allowed when an Allow statement matches and no Deny does; `*` in a resource matches any run of characters. */
export function policyAllows(policy: PolicyLike, methodArn: string): boolean {
  const matching = (effect: string) =>
    policy.Statement.some(
      (statement) =>
        statement.Effect === effect &&
        list(statement.Action).some((action) => action === 'execute-api:Invoke' || action === '*') &&
        list(statement.Resource).some((resource) => wildcard(resource).test(methodArn)),
    );
  return matching('Allow') && !matching('Deny');
}

/** The resources of the statements with this effect. */
export function resourcesOf(policy: PolicyLike, effect: 'Allow' | 'Deny'): string[] {
  return policy.Statement.filter((statement) => statement.Effect === effect).flatMap((statement) => list(statement.Resource));
}

function list(value: string | readonly string[]): readonly string[] {
  return typeof value === 'string' ? [value] : value;
}

function wildcard(pattern: string): RegExp {
  const literal = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literal.join('.*')}$`);
}
