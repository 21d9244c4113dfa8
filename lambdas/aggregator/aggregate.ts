// The aggregator's core: renders each part's path, calls the parts in dependency order within one deadline, merges and projects.
import type { Logger } from '@aws-lambda-powertools/logger';
import { breakerKey } from '../contract/breaker-key';
import type { CallOptions, UpstreamRequest, UpstreamResponse } from '../shared/http-client';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { createBreakers } from '../shared/breaker/create-breakers';
import type { BasePersistenceLayer } from '../shared/breaker/persistence/base-persistence-layer';
import type { BreakerHooks } from '../shared/breaker/shared-circuit-breaker';
import { logger as sharedLogger } from '../shared/observability';
import { SHARED_STATE_BUDGET_MS, stateWait } from '../shared/state-budget';
import { isSendableHeaderValue } from '../shared/header-values';
import { RetryBudget } from '../shared/retry-budget';
import { checkAggregatorConfig, DEFAULT_MAX_PART_BYTES, type AggregatorConfig, type JsonValue } from '../contract/aggregator-config';
import { partDependencies, runInDependencyOrder } from './dependencies';
import { PartError } from './errors';
import { mergeParts, type MergeResult, type PartOutcome } from './merge';
import { callPart, type PartClient } from './part-call';
import { preloadLambdaCaller } from '../shared/lambda-sender';
import { compileSelection, project } from './projection';
import { parsePathTemplate, renderPath, type PathTemplate, type TemplateValues } from './template';

/** What the aggregate reads from one client request. */
export interface AggregateRequest {
  /** The authorizer's context (`sub`, `iss`, `roles`, `scopes`, `clientId`), empty without one. */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly path: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** The client's headers, lower-case names; those in a part's `forwardHeaders` go to it. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly correlationId: string;
  readonly gatewayRequestId: string;
}

export interface AggregateResult {
  /** Merged and, with `select`, projected. */
  readonly result: MergeResult;
  readonly outcomes: ReadonlyMap<string, PartOutcome>;
}

export interface AggregatorDeps {
  /** Sends one attempt to a part. @default callUpstream */
  readonly call?: (request: UpstreamRequest, options: CallOptions) => Promise<UpstreamResponse>;
  /** Clock in ms for deadlines and breakers. @default Date.now */
  readonly now?: () => number;
  /** Where parts with `circuitBreaker.store: dynamodb` share their breakers. @default the table named by env GATEHOUSE_BREAKER_TABLE (see createBreakers) */
  readonly breakerStore?: BasePersistenceLayer;
  /** @default the container-wide breaker hooks (log and count transitions) */
  readonly breakerHooks?: BreakerHooks;
  /** The longest one wait of a request on the breaker table lasts. @default SHARED_STATE_BUDGET_MS */
  readonly stateBudgetMs?: number;
  /** Where an overrun of the budget, or a missing breaker table, is logged. @default the shared Powertools logger */
  readonly stateLogger?: Logger;
  /** Where a missing breaker table is counted. @default the shared Powertools metrics */
  readonly metrics?: Metrics;
  /** Read for the breaker table's name. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface Aggregator {
  aggregate(request: AggregateRequest): Promise<AggregateResult>;
  /** Resolves once the breakers' background store calls are done: await it before Lambda freezes the container. */
  settled(): Promise<void>;
}

interface PlannedPart {
  readonly template: PathTemplate;
  readonly client: PartClient;
}

/** Checks the config and builds the parts' clients, budgets and breakers once per container (misuse throws TypeError). */
export function createAggregator(config: AggregatorConfig, deps: AggregatorDeps = {}): Aggregator {
  const order = checkAggregatorConfig(config);
  const needs = partDependencies(config.parts);
  const now = deps.now ?? Date.now;
  const selection = config.select ? compileSelection(config.select) : undefined;
  // The SDK loads during Lambda's init phase, not inside the first request's deadline.
  if (Object.values(config.parts).some((part) => part.lambda !== undefined)) void preloadLambdaCaller();
  // Parts of one service at one URL share a budget and a breaker: they are one upstream.
  const keyOf = (part: AggregatorConfig['parts'][string]) =>
    part.target !== undefined ? breakerKey(part.service, part.target) : `${part.service} ${part.url}`;
  const breakers = createBreakers(
    Object.values(config.parts).flatMap((part) => (part.circuitBreaker ? [{ key: keyOf(part), config: part.circuitBreaker }] : [])),
    {
      env: deps.env ?? process.env,
      persistence: deps.breakerStore,
      logger: deps.stateLogger ?? sharedLogger,
      metrics: deps.metrics,
      hooks: deps.breakerHooks,
      now,
      context: { route: config.route },
    },
  );
  const budgets = new Map<string, RetryBudget>();
  const planned = new Map<string, PlannedPart>();
  for (const [name, part] of Object.entries(config.parts)) {
    const key = keyOf(part);
    const budget = budgets.get(key) ?? new RetryBudget({ ratio: config.retryBudgetRatio ?? 0.1 }, { now });
    budgets.set(key, budget);
    const breaker = part.circuitBreaker ? breakers.get(key) : undefined;
    const client: PartClient = {
      name,
      part,
      budget,
      maxResponseBytes: config.maxPartBytes ?? DEFAULT_MAX_PART_BYTES,
      now,
      ...(breaker ? { breaker } : {}),
      ...(deps.call ? { call: deps.call } : {}),
    };
    planned.set(name, { template: parsePathTemplate(part.pathTemplate), client });
  }

  // A cold instance starts from the fleet's breaker state (as the proxy does): its first request waits for one read.
  // It waits at most the shared-state budget, outside the parts' deadline; past it the instance decides on local state.
  let ready: Promise<void> | undefined;
  const sharedState = stateWait(deps.stateLogger ?? sharedLogger, deps.stateBudgetMs ?? SHARED_STATE_BUDGET_MS);
  const aggregate = async (request: AggregateRequest): Promise<AggregateResult> => {
    await sharedState.settle((ready ??= breakers.sync()), 'the breaker table');
    const deadlineAt = now() + config.deadlineMs;
    const answers = new Map<string, JsonValue>();
    const values: TemplateValues = { claims: request.claims, path: request.path, query: request.query, parts: answers };

    const runPart = async (name: string, settled: ReadonlyMap<string, PartOutcome>): Promise<PartOutcome> => {
      const started = now();
      const { template, client } = planned.get(name) as PlannedPart;
      try {
        const failedSource = (needs.get(name) ?? []).find((source) => settled.get(source)?.kind !== 'answered');
        if (failedSource !== undefined) {
          throw new PartError('dependency_failed', `part ${JSON.stringify(failedSource)}, which this part uses, failed`);
        }
        const path = renderPath(template, values);
        const answer = await callPart(client, {
          path,
          headers: partHeaders(config, client.part.forwardHeaders, request),
          deadlineAt,
          requestId: request.gatewayRequestId,
        });
        answers.set(name, answer.value);
        return { kind: 'answered', value: answer.value, ms: now() - started, attempts: answer.attempts, retries: answer.retries };
      } catch (error) {
        if (!(error instanceof PartError)) throw error;
        return { kind: 'failed', error, ms: now() - started };
      }
    };

    const outcomes = await runInDependencyOrder(order, needs, runPart);
    const merged = mergeParts(config.parts, order, outcomes);
    if (merged.kind === 'failed' || selection === undefined) return { result: merged, outcomes };
    const data = (project(merged.data, selection) ?? {}) as Record<string, JsonValue>;
    return { result: { ...merged, data }, outcomes };
  };

  return {
    aggregate,
    settled: async () => {
      await sharedState.settle(breakers.settled(), 'the breaker table');
    },
  };
}

/** The forwarded client headers, the correlation id and the gateway's request id. */
function partHeaders(config: AggregatorConfig, forward: readonly string[], request: AggregateRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of forward) {
    const value = request.headers[name.toLowerCase()];
    // A value HTTP cannot carry (outside Latin-1) would fail the part's call: it is not forwarded (see header-values.ts).
    if (value !== undefined && isSendableHeaderValue(value)) headers[name.toLowerCase()] = value;
  }
  headers[config.correlationHeader.toLowerCase()] = request.correlationId;
  headers[config.gatewayRequestIdHeader.toLowerCase()] = request.gatewayRequestId;
  return headers;
}
