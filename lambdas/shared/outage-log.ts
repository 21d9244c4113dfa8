// Logs a shared store's outage at most once per period per container, with the count of failures left out, and its end once.
import type { Logger } from '@aws-lambda-powertools/logger';

export interface OutageLog {
  /** A failed store call: a `warn` line unless one was written less than a period ago. True when it was logged. */
  unavailable(message: string, details: Readonly<Record<string, unknown>>, error: unknown): boolean;
  /** A store call that worked: one `info` line if an outage was logged, else nothing. */
  available(message: string, details: Readonly<Record<string, unknown>>): void;
}

/**
 * One per container, shared by every breaker or limiter, so an outage of DynamoDB writes one line per
 * period for the whole container instead of one per request, target or route.
 */
export function outageLog(logger: Logger, now: () => number, intervalMs: number): OutageLog {
  let lastLoggedAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  let outageLogged = false;
  return {
    unavailable(message, details, error) {
      const at = now();
      if (at - lastLoggedAt < intervalMs) {
        suppressed += 1;
        return false;
      }
      logger.warn(message, { ...details, error: describeError(error), failuresNotLogged: suppressed });
      lastLoggedAt = at;
      suppressed = 0;
      outageLogged = true;
      return true;
    },
    available(message, details) {
      if (!outageLogged) return;
      outageLogged = false;
      logger.info(message, details);
    },
  };
}

/** Name and message only: SDK errors carry request metadata that adds nothing to the line. */
export function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error, message: String(error) };
}
