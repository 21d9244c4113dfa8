// Whether a request carries CloudFront's origin-verify secret: the secret's current or previous value, read from Secrets Manager and cached per container.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ORIGIN_VERIFY_SECRET_ENV } from '../contract/origin-verify';
import { logger as sharedLogger } from './observability';
import { outageLog } from './outage-log';

export { ORIGIN_VERIFY_HEADER, ORIGIN_VERIFY_SECRET_ENV } from '../contract/origin-verify';

/** How long values read from the secret are used before a request reads it again. */
export const DEFAULT_REFRESH_MS = 300_000;

/**
 * After a failed read, requests answer from the values known (or fail, if none is) for this long before
 * one reads again: an outage of Secrets Manager costs one read per container per period, not one per request.
 */
export const READ_RETRY_MS = 5_000;

/**
 * A value that matches neither known value reads the secret again, at most once per this period. CloudFront
 * may send a new value before this container's refresh is due, and API Gateway would cache the deny for the
 * authorizer's TTL. The bound keeps a caller who makes up values from turning each request into a read, and
 * costs nothing in a rotation: CloudFront sends a new value minutes after the secret changes (the
 * distribution is updated after it), so a read less than this before was already of the new value.
 */
export const MISMATCH_RECHECK_MS = 5_000;

export interface OriginVerifier {
  /** True when `value` is the secret's current or previous value. Rejects when the secret was never read and cannot be now. */
  matches(value: string | undefined): Promise<boolean>;
}

export interface OriginVerifierOptions {
  /** ARN (or name) of the secret whose `SecretString` is the header value. */
  readonly secretId: string;
  /** @default a client with `SECRETS_CLIENT_DEFAULTS` and the SDK's region and credentials chain */
  readonly client?: SecretsManagerClient;
  /** @default DEFAULT_REFRESH_MS */
  readonly refreshMs?: number;
  /** The clock (epoch ms) the cache is checked against. @default Date.now */
  readonly now?: () => number;
  /** Where failed reads are logged, at most once per refresh period. @default the shared Powertools logger */
  readonly logger?: Logger;
}

/** The secret was never read and cannot be now: no request can be judged, and none should be denied for it. */
export class OriginSecretUnavailable extends Error {
  readonly code = 'origin_secret_unavailable';
}

/**
 * Both `AWSCURRENT` and `AWSPREVIOUS` are accepted, so a rotation never cuts CloudFront off: between the
 * secret's update and the distribution's, CloudFront still sends the value that is now previous. The
 * other way round (CloudFront already sending a value this container has not read) is what the recheck
 * on a mismatch is for.
 *
 * Values are kept as SHA-256 digests and compared with `timingSafeEqual`, so the time an answer takes
 * says nothing about how much of a guess was right.
 */
export function createOriginVerifier(options: OriginVerifierOptions): OriginVerifier {
  const { secretId } = options;
  const refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
  const now = options.now ?? Date.now;
  const outage = outageLog(options.logger ?? sharedLogger, now, refreshMs);
  const readValues = secretReader(secretId, options.client);

  let digests: readonly Buffer[] | undefined;
  let lastError: unknown;
  let lastReadAt = Number.NEGATIVE_INFINITY;
  let nextReadAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;

  /** One read at a time: concurrent requests wait for the same one. A failure keeps the known values. */
  const read = (): Promise<void> =>
    (inFlight ??= (async () => {
      lastReadAt = now();
      try {
        digests = (await readValues()).map(digest);
        nextReadAt = now() + refreshMs;
        outage.available('origin-verify secret read again', { secretId });
      } catch (error) {
        lastError = error;
        nextReadAt = now() + READ_RETRY_MS;
        const message = digests
          ? 'origin-verify secret could not be read: checking against the values read before'
          : 'origin-verify secret could not be read and no value is known: requests fail until it can be';
        outage.unavailable(message, { secretId }, error);
      } finally {
        inFlight = undefined;
      }
    })());

  const known = async (): Promise<readonly Buffer[]> => {
    // A due refresh is waited for, not run behind the answer: a value rotated in since the last read must match now.
    if (now() >= nextReadAt) await read();
    if (digests) return digests;
    throw new OriginSecretUnavailable(`origin-verify secret ${secretId} could not be read`, { cause: lastError });
  };

  return {
    async matches(value) {
      if (!value) return false;
      const presented = digest(value);
      if (anyEqual(await known(), presented)) return true;
      if (inFlight === undefined && now() - lastReadAt < MISMATCH_RECHECK_MS) return false;
      await read();
      return anyEqual(await known(), presented);
    },
  };
}

/**
 * The verifier a handler builds at init from `GATEHOUSE_ORIGIN_VERIFY_SECRET_ARN`. Without it the function
 * was deployed without its secret and no request could pass: every one is refused, and that is logged once.
 */
export function originVerifierFromEnv(logger: Logger = sharedLogger, env: NodeJS.ProcessEnv = process.env): OriginVerifier {
  const secretId = env[ORIGIN_VERIFY_SECRET_ENV];
  if (!secretId) {
    logger.error(`${ORIGIN_VERIFY_SECRET_ENV} is not set: refusing every request`);
    return { matches: () => Promise.resolve(false) };
  }
  return createOriginVerifier({ secretId, logger });
}

/**
 * Loads the AWS SDK on the first read, not at import: the JWT authorizer's bundle carries this module
 * whether or not its config checks the header. esbuild keeps the dynamic import lazy inside the bundle.
 */
function secretReader(secretId: string, client: SecretsManagerClient | undefined): () => Promise<string[]> {
  let reader: Promise<() => Promise<string[]>> | undefined;
  return async () => {
    reader ??= import('./secret-stages').then(({ createSecretsClient, readCurrentAndPrevious }) => {
      const secrets = client ?? createSecretsClient();
      return () => readCurrentAndPrevious(secrets, secretId);
    });
    return (await reader)();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Compares against every known value, never stopping at the first match. */
function anyEqual(known: readonly Buffer[], presented: Buffer): boolean {
  let equal = false;
  for (const candidate of known) equal = timingSafeEqual(candidate, presented) || equal;
  return equal;
}
