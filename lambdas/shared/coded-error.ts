// The errors handlers raise on purpose: a stable, machine-readable `code` beside a message for people.

/**
 * An error whose `code` is part of the contract (logs, metric dimensions, dashboards and tests read it) while the
 * message may change. Subclasses name themselves and add what their caller answers with (a status, a hint).
 */
export class CodedError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
