// Path rewrites: match the client's path against `{name}` / `{name+}` patterns and render the upstream path, refusing traversal.
// The rule's grammar and its check are lambdas/contract/path-rewrite-rule.ts.
import type { PathRewrite } from '../../contract/proxy-config';
import { PathRewriteError } from './errors';
import { matchPathTemplate, parsePathTemplate, type PatternSegment } from '../../contract/path-template';
import { pathRewriteProblem, REWRITE_PLACEHOLDER, ROUTE_PARAMETER_NAME } from '../../contract/path-rewrite-rule';

interface CompiledRewrite {
  readonly segments: readonly PatternSegment[];
  readonly to: string;
}

/** C0 controls and DEL: CR/LF split requests, NUL truncates paths in some servers. */
function hasControlCharacter(text: string): boolean {
  return [...text].some((character) => {
    const code = character.codePointAt(0) ?? 0;
    return code < 0x20 || code === 0x7f;
  });
}

const compiled = new WeakMap<PathRewrite, CompiledRewrite>();

/** Compiles (and remembers) a rule; misuse, so a bad one throws TypeError (configs are checked at init). */
function compile(rule: PathRewrite): CompiledRewrite {
  const known = compiled.get(rule);
  if (known) return known;
  const problem = pathRewriteProblem(rule);
  if (problem) throw new TypeError(`path rewrite ${problem.field} ${JSON.stringify(rule[problem.field])} ${problem.problem}`);
  // Sound, so the match parses.
  const rewrite = { segments: (parsePathTemplate(rule.match) as { segments: PatternSegment[] }).segments, to: rule.to };
  compiled.set(rule, rewrite);
  return rewrite;
}

/**
 * Refuses a captured segment that, once the upstream decodes it, climbs (`..`, also `..;` which
 * some servers read as `..`), carries a separator (`%2F`, `\`) or a control character (`%0d%0a`).
 */
function assertSafeSegment(segment: string): void {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw new PathRewriteError('path_malformed', 'a path segment has malformed percent-encoding');
  }
  const dotPart = decoded.split(';')[0];
  if (dotPart === '.' || dotPart === '..' || /[/\\]/.test(decoded) || hasControlCharacter(decoded)) {
    throw new PathRewriteError('path_traversal', 'a captured path segment is a dot segment, a separator or a control character');
  }
}

/**
 * The first PathRewrite whose `match` fits `clientPath` (as the client sent it, percent-encoded),
 * rendered with `to`; undefined when none matches. Literal segments compare exactly and a trailing
 * slash counts; captured segments keep their original encoding. `{path.name}` in `to` takes the
 * route's path parameter (decoded, as API Gateway gives it), URL-encoded here. Throws PathRewriteError
 * (`path_traversal`, `path_malformed`) when a captured segment or a parameter of the matching rule is
 * unsafe, and TypeError when `to` names a parameter the route does not have (a config the planner checks).
 */
export function rewritePath(
  clientPath: string,
  rules: readonly PathRewrite[] | undefined,
  routeParameters: RouteParameters = {},
): string | undefined {
  if (!clientPath.startsWith('/')) return undefined;
  const path = clientPath.split('/').slice(1);
  for (const rule of rules ?? []) {
    const { segments, to } = compile(rule);
    const matched = matchPathTemplate(segments, path, 'whole');
    if (!matched) continue;
    // Only what `to` carries upstream is checked: a capture that only locates the rule goes nowhere.
    return to.replace(REWRITE_PLACEHOLDER, (_, inner: string) => {
      const parameter = ROUTE_PARAMETER_NAME.exec(inner)?.[1];
      if (parameter !== undefined) return encodeRouteParameter(parameter, routeParameters);
      const parts = matched.captures.get(inner.replace(/\+$/, '')) ?? [];
      parts.forEach(assertSafeSegment);
      return parts.join('/');
    });
  }
  return undefined;
}

/** A route's path parameters by name, decoded; a greedy one's value holds its `/`s. */
export interface RouteParameters {
  readonly [name: string]: { readonly value: string; readonly greedy: boolean } | undefined;
}

/**
 * A parameter as path text: every character but unreserved ones and the sub-delimiters a segment may
 * hold is percent-encoded, `/` included, so a one-segment value stays one segment; a greedy value
 * keeps its `/`s and each of its segments is encoded. A segment of exactly `.` or `..` is refused:
 * encoding cannot make it safe, as RFC 3986 §6.2.2.2 lets a server decode `%2E` before resolving dots.
 */
export function encodeRouteParameter(name: string, parameters: RouteParameters): string {
  const parameter = Object.hasOwn(parameters, name) ? parameters[name] : undefined;
  if (parameter === undefined) throw new TypeError(`{path.${name}} is not a parameter of this route's path`);
  const segments = parameter.greedy ? parameter.value.split('/') : [parameter.value];
  return segments
    .map((segment) => {
      if (segment === '.' || segment === '..' || hasControlCharacter(segment)) {
        throw new PathRewriteError('path_traversal', 'a path parameter is a dot segment or holds a control character');
      }
      try {
        return encodeURIComponent(segment);
      } catch {
        // A lone surrogate has no UTF-8 form.
        throw new PathRewriteError('path_malformed', 'a path parameter is not valid Unicode');
      }
    })
    .join('/');
}
