// Checks a service's transformation (the config loader before synth, the proxy again at init), so a bad path, header or rewrite fails the deploy rather than a request.
import type { TransformConfig } from './proxy-config';
import { isHeaderName, isReservedHeader, isSafeHeaderValue } from './header-rules';
import { isPlainKey, jsonPathProblem } from './json-path';
import { pathRewriteProblem } from './path-rewrite-rule';

type Field = 'headers' | 'querystring' | 'json';
type Operation = 'remove' | 'rename' | 'replace' | 'add' | 'set' | 'append';

const OPERATIONS: readonly Operation[] = ['remove', 'rename', 'replace', 'add', 'set', 'append'];
const FIELDS: readonly Field[] = ['headers', 'querystring', 'json'];

/** The location and problem, e.g. `transform.response.remove.json[0]: JSON path "" is empty`. */
function fail(where: string, problem: string): never {
  throw new TypeError(`${where}: ${problem}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The names an operation lists: the array of `remove`, the keys of every other operation. */
function namesOf(where: string, operation: Operation, value: unknown): [string, string, unknown][] {
  if (operation === 'remove') {
    if (!Array.isArray(value)) fail(where, 'must be a list of names');
    return value.map((name, index) => [
      `${where}[${index}]`,
      typeof name === 'string' ? name : fail(`${where}[${index}]`, 'must be a string'),
      undefined,
    ]);
  }
  if (!isRecord(value)) fail(where, 'must be a map of name to value');
  return Object.entries(value).map(([name, entry]) => [`${where}[${JSON.stringify(name)}]`, name, entry]);
}

function checkHeader(where: string, operation: Operation, name: string, value: unknown): void {
  if (!isHeaderName(name)) fail(where, `${JSON.stringify(name)} is not a valid header name`);
  if (operation === 'remove') return;
  if (operation === 'rename') {
    if (typeof value !== 'string' || !isHeaderName(value)) fail(where, 'must rename to a valid header name');
    if (isReservedHeader(value))
      fail(where, `must not rename to ${value}: connection headers, host and content-length belong to the HTTP client`);
    return;
  }
  if (isReservedHeader(name)) fail(where, `must not write ${name}: connection headers, host and content-length belong to the HTTP client`);
  checkScalar(where, operation, value);
  if (!isSafeHeaderValue(String(value))) fail(where, 'must not contain CR, LF or NUL');
}

function checkQuery(where: string, operation: Operation, name: string, value: unknown): void {
  if (name === '') fail(where, 'query parameter name must not be empty');
  if (operation === 'remove') return;
  if (operation === 'rename') {
    if (typeof value !== 'string' || value === '') fail(where, 'must rename to a non-empty name');
    return;
  }
  checkScalar(where, operation, value);
}

/** Headers and query carry text: append takes strings, the others also numbers and booleans. */
function checkScalar(where: string, operation: Operation, value: unknown): void {
  const allowed = operation === 'append' ? ['string'] : ['string', 'number', 'boolean'];
  if (!allowed.includes(typeof value)) fail(where, `must be ${operation === 'append' ? 'a string' : 'a string, number or boolean'}`);
}

function checkJson(where: string, operation: Operation, path: string, value: unknown): void {
  if (operation === 'append') fail(where, 'append applies to headers and querystring only');
  const problem = jsonPathProblem(path);
  if (problem !== undefined) fail(where, `JSON path ${JSON.stringify(path)} ${problem}`);
  if (operation === 'remove') return;
  if (operation === 'rename') {
    if (typeof value !== 'string') fail(where, 'must rename to a field name or dot path');
    if (isPlainKey(value)) return;
    const targetProblem = jsonPathProblem(value);
    if (targetProblem !== undefined) fail(where, `JSON path ${JSON.stringify(value)} ${targetProblem}`);
    if (path.includes('[]') || value.includes('[]')) {
      fail(where, 'a rename with [] must rename to a plain field name (it stays in the same element)');
    }
    return;
  }
  if (value === undefined) fail(where, 'must have a value');
}

function checkOperations(base: string, transform: Record<string, unknown>, hasQuery: boolean): void {
  for (const operation of OPERATIONS) {
    const fieldOps = transform[operation];
    if (fieldOps === undefined) continue;
    if (!isRecord(fieldOps)) fail(`${base}.${operation}`, 'must be a map of headers, querystring and json');
    for (const [field, value] of Object.entries(fieldOps)) {
      const where = `${base}.${operation}.${field}`;
      if (!FIELDS.includes(field as Field)) fail(where, 'unknown field (use headers, querystring or json)');
      if (field === 'querystring' && !hasQuery) fail(where, 'a response has no query string');
      if (value === undefined) continue;
      const seen = new Set<string>();
      for (const [at, name, entry] of namesOf(where, operation, value)) {
        if (field === 'headers') {
          if (operation !== 'remove' && seen.has(name.toLowerCase())) fail(at, 'names the same header twice (names ignore case)');
          seen.add(name.toLowerCase());
          checkHeader(at, operation, name, entry);
        } else if (field === 'querystring') checkQuery(at, operation, name, entry);
        else checkJson(at, operation, name, entry);
      }
    }
  }
}

function checkKeys(base: string, transform: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(transform)) {
    if (!allowed.includes(key)) fail(`${base}.${key}`, `unknown key (use ${allowed.join(', ')})`);
  }
}

function checkRewrites(base: string, rules: unknown): void {
  if (rules === undefined) return;
  if (!Array.isArray(rules)) fail(base, 'must be a list of { match, to }');
  rules.forEach((rule: unknown, index) => {
    const where = `${base}[${index}]`;
    if (!isRecord(rule) || typeof rule.match !== 'string' || typeof rule.to !== 'string') {
      fail(where, 'must have string match and to');
    }
    const problem = pathRewriteProblem({ match: rule.match, to: rule.to });
    if (problem) fail(`${where}.${problem.field}`, `${JSON.stringify(rule[problem.field])} ${problem.problem}`);
  });
}

/**
 * Validates transform configs at init: bad dot paths, header names, values and reserved headers,
 * bad rewrite patterns. Misuse, so it throws TypeError naming the field, e.g.
 * `transform.response.remove.json[0]`.
 */
export function checkTransformConfig(transform: TransformConfig): void {
  const { request, response } = transform as Record<string, unknown>;
  if (request !== undefined) {
    if (!isRecord(request)) fail('transform.request', 'must be a map');
    checkKeys('transform.request', request, [...OPERATIONS, 'path']);
    checkOperations('transform.request', request, true);
    checkRewrites('transform.request.path', request.path);
  }
  if (response !== undefined) {
    if (!isRecord(response)) fail('transform.response', 'must be a map');
    checkKeys('transform.response', response, [...OPERATIONS, 'xmlToJson']);
    checkOperations('transform.response', response, false);
    if (response.xmlToJson !== undefined && typeof response.xmlToJson !== 'boolean') {
      fail('transform.response.xmlToJson', 'must be true or false');
    }
  }
}
