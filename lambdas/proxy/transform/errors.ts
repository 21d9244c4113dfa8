// The error a client's path raises when a rewrite would carry it somewhere it must not go.
import { CodedError } from '../../shared/coded-error';

/** Stable reasons a path rewrite refuses a client path; they appear in logs and metrics. */
export const PATH_REWRITE_ERROR_CODES = ['path_traversal', 'path_malformed'] as const;

export type PathRewriteErrorCode = (typeof PATH_REWRITE_ERROR_CODES)[number];

/**
 * A client path a rewrite refuses: a captured segment that would climb directories, smuggle a
 * separator or a control character (`path_traversal`), or bad percent-encoding (`path_malformed`).
 * Untrusted input, so the handler answers 400. Assert on `code`, not on the message.
 */
export class PathRewriteError extends CodedError<PathRewriteErrorCode> {
  override readonly name = 'PathRewriteError';
  readonly statusCode = 400;
}
