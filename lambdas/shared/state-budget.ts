// The shared-state budget: the longest a request waits on the breaker or rate-limit table before it goes on with local state.
import type { Logger } from '@aws-lambda-powertools/logger';
import { SHARED_STATE_BUDGET_MS } from '../contract/state-budget';
import { describeError } from './outage-log';

export { SHARED_STATE_BUDGET_MS } from '../contract/state-budget';

/** What a budgeted wait rejects with when the budget ran out before the work did. */
export class StateBudgetExceeded extends Error {
  static readonly code = 'state_budget_exceeded';
  readonly code = StateBudgetExceeded.code;

  constructor(
    readonly what: string,
    readonly budgetMs: number,
  ) {
    super(`${what} did not answer within the ${budgetMs} ms shared-state budget`);
    this.name = 'StateBudgetExceeded';
  }
}

/**
 * `work`'s outcome, or a `StateBudgetExceeded` rejection once `budgetMs` passed. The work itself goes on
 * in the background (its own client timeouts end it); a late rejection is swallowed, so it never
 * surfaces as an unhandled rejection.
 */
export function withinBudget<T>(work: Promise<T>, what: string, budgetMs: number = SHARED_STATE_BUDGET_MS): Promise<T> {
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StateBudgetExceeded(what, budgetMs)), budgetMs);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** Waits on shared state that is nice to have (the breakers' reads and writes): never rejects, logs the first overrun of an outage. */
export interface StateWait {
  /** Resolves when `work` settles or the budget runs out, whichever is first; true when the work finished in time. */
  settle(work: Promise<unknown>, what: string): Promise<boolean>;
}

/**
 * One per handler. The first wait that runs out of budget logs a `warn` line; the later ones of the
 * same outage stay silent, and the first wait that finishes in time again logs one `info` line.
 */
export function stateWait(logger: Logger, budgetMs: number = SHARED_STATE_BUDGET_MS): StateWait {
  let overrun = false;
  return {
    async settle(work, what) {
      try {
        await withinBudget(work, what, budgetMs);
      } catch (error) {
        if (!(error instanceof StateBudgetExceeded)) return true; // the work failed in time: its own hooks report it
        if (!overrun)
          logger.warn(`${what} is slower than the shared-state budget: going on with local state`, {
            budgetMs,
            error: describeError(error),
          });
        overrun = true;
        return false;
      }
      if (overrun) logger.info(`${what} answers within the shared-state budget again`, { budgetMs });
      overrun = false;
      return true;
    },
  };
}
