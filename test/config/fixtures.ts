// Shared fixtures for the spec tests: minimal valid specs, a patcher for invalid variants, ConfigError assertions.
import { expect } from 'vitest';
import { ConfigError, type SpecIssue } from '../../lib/config/errors';
import type { GatehouseSpecInput } from '../../lib/config/schema';

export type PathPart = string | number;

/** Patch value that deletes the key instead of setting it. */
export const REMOVE = Symbol('remove');

/** [path, value]: set `value` at `path` (intermediate objects/arrays are created as needed). */
export type Patch = readonly [path: readonly PathPart[], value: unknown];

/** The smallest valid spec: one service ("users"), one gateway ("public") with one route. */
export function minimalSpec(): GatehouseSpecInput {
  return {
    services: { users: { url: 'https://users.internal:8080' } },
    gateways: {
      public: {
        routes: [{ service: 'users', paths: ['/api/users'] }],
      },
    },
  };
}

/**
 * A valid spec that also uses every optional section with only its required fields:
 * an API-keyed route (/api/orders), plan "standard" with one route throttle, consumer "acme", CORS.
 */
export function keyedSpec(): GatehouseSpecInput {
  return {
    services: {
      users: { url: 'https://users.internal:8080' },
      orders: { url: 'https://orders.internal' },
    },
    gateways: {
      public: {
        cors: { origins: ['https://app.example.com'] },
        routes: [
          { service: 'users', paths: ['/api/users'] },
          { service: 'orders', paths: ['/api/orders'], apiKey: true },
        ],
        plans: {
          standard: { routeThrottles: [{ path: '/api/orders', throttle: { rate: 10, burst: 20 } }] },
        },
        consumers: { acme: { plans: ['standard'] } },
      },
    },
  };
}

/** A deep copy of `base` with each patch applied; typed `unknown` because the result is usually invalid. */
export function patched(base: GatehouseSpecInput, ...patches: Patch[]): unknown {
  const root = structuredClone(base) as unknown;
  for (const [path, value] of patches) setIn(root, path, value);
  return root;
}

/** minimalSpec() with the patches applied. */
export function specWith(...patches: Patch[]): unknown {
  return patched(minimalSpec(), ...patches);
}

function setIn(root: unknown, path: readonly PathPart[], value: unknown): void {
  if (path.length === 0) throw new Error('fixture: empty patch path');
  let node = root as Record<PathPart, unknown>;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    if (node[key] === undefined || node[key] === null) node[key] = typeof path[i + 1] === 'number' ? [] : {};
    node = node[key] as Record<PathPart, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === REMOVE) delete node[last];
  else node[last] = value;
}

/** Runs `run`, asserts it throws a ConfigError and returns it. */
export function catchSpecError(run: () => unknown): ConfigError {
  let result: unknown;
  try {
    result = run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`expected a ConfigError, but the spec was accepted: ${JSON.stringify(result)}`);
}

/** Asserts `run` throws a ConfigError with an issue at exactly `where` whose message matches `message`; returns that issue. */
export function expectIssue(run: () => unknown, where: string, message: RegExp): SpecIssue {
  const err = catchSpecError(run);
  const atWhere = err.issues.filter((i) => i.where === where);
  expect(
    atWhere.map((i) => i.where),
    `issues: ${JSON.stringify(err.issues.map((i) => [i.where, i.message]))}`,
  ).not.toEqual([]);
  const issue = atWhere.find((i) => message.test(i.message));
  expect(issue?.message ?? atWhere.map((i) => i.message).join(' | ')).toMatch(message);
  // The printed message names the same place and fix.
  expect(err.message).toContain(`${where}: ${issue!.message}`);
  return issue!;
}

/** Like expectIssue, and the spec has no other problem ("1 problem"). */
export function expectOnlyIssue(run: () => unknown, where: string, message: RegExp): SpecIssue {
  const issue = expectIssue(run, where, message);
  const err = catchSpecError(run);
  expect(err.issues.map((i) => [i.where, i.message])).toEqual([[issue.where, issue.message]]);
  expect(err.message).toMatch(/^Invalid Gatehouse config \(1 problem\):\n/);
  return issue;
}
