// CDK tokens in typed specs: a value another construct fills in at deploy is accepted unresolved; its literal parts are still checked.
import { Reference, Token, Tokenization } from 'aws-cdk-lib';
import { z } from 'zod';

/**
 * `literal`, or a string holding an unresolved CDK token (`fn.functionUrl.url`, `topic.topicArn`,
 * `` `https://${nlb.loadBalancerDnsName}` ``), which only a spec written in TypeScript can hold. Of a
 * token string, the literal text before the first token must fit `prefix` (a URL's scheme, an ARN's
 * service); the rest is only known at deploy, which the plan's DEPLOY_TIME_VALUES warning says.
 */
export function orToken(literal: z.ZodType<string>, prefix?: { readonly pattern: RegExp; readonly message: string }) {
  return z.string().superRefine((value, ctx) => {
    if (Token.isUnresolved(value)) {
      // The literal text before the first token; nothing to check when the value starts with one.
      const head = value.slice(0, Math.max(0, value.indexOf('${Token[')));
      if (prefix && head && !prefix.pattern.test(head)) ctx.addIssue({ code: 'custom', message: prefix.message });
      return;
    }
    const parsed = literal.safeParse(value);
    if (!parsed.success)
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });
}

/** The scheme part a URL token's literal start must have. */
export const URL_PREFIX = { pattern: /^https?:\/\//, message: 'a URL built around a CDK token must still start with http:// or https://' };

/** The literal start an ARN token must have. */
export const ARN_PREFIX = { pattern: /^arn:/, message: 'an ARN built around a CDK token must still start with arn:' };

/** Every string of `value` holding an unresolved token, with its path. */
export function tokenFields(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; value: string }[] {
  if (typeof value === 'string') return Token.isUnresolved(value) ? [{ path, value }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => tokenFields(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => tokenFields(v, [...path, k]));
  return [];
}

/**
 * A token string as `explain` prints it: the `${Token[...]}` placeholders, each followed by the path of
 * the construct it refers to where CDK can tell (a resource attribute or Ref).
 */
export function describeTokens(value: string): string {
  return value.replace(/\$\{Token\[[^\]]+\]\}/g, (token) => {
    const target = Tokenization.reverseString(token).firstToken;
    return target instanceof Reference ? `${token} (${target.target.node.path}.${target.displayName})` : token;
  });
}
