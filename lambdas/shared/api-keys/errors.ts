// Errors of the API-key lifecycle: one class with a stable `code`, and the mapping from AWS SDK failures to it.
import { CodedError } from '../coded-error';

export type KeyErrorCode =
  | 'PLAN_NOT_FOUND'
  | 'CONSUMER_NOT_FOUND'
  | 'KEY_NOT_FOUND'
  | 'NO_CREDENTIALS'
  | 'THROTTLED'
  | 'INVALID_DURATION'
  | 'INVALID_ARGUMENT'
  | 'ROLLED_BACK';

/** A failure the person running `gatehouse keys` can act on; the message says how. */
export class KeyError extends CodedError<KeyErrorCode> {
  override readonly name = 'KeyError';
}

export const NO_CREDENTIALS_MESSAGE =
  'no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials), or run `aws sso login`';

/**
 * Turns the SDK's credential and throttling failures into KeyErrors; anything else passes through.
 * Throttling is only reported after the client's own retries (standard mode, `maxAttempts`) ran out.
 */
export function toKeyError(error: unknown): unknown {
  if (error instanceof KeyError || !(error instanceof Error)) return error;
  if (error.name === 'CredentialsProviderError') return new KeyError('NO_CREDENTIALS', NO_CREDENTIALS_MESSAGE, { cause: error });
  if (error.name === 'TooManyRequestsException' || error.name === 'ThrottlingException') {
    return new KeyError(
      'THROTTLED',
      `API Gateway kept throttling the request after retries (${error.message}); wait a minute and run the command again`,
      { cause: error },
    );
  }
  return error;
}

/** Runs `action`, rethrowing SDK failures as KeyErrors where they have a clear meaning. */
export async function explainingAwsErrors<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw toKeyError(error);
  }
}
