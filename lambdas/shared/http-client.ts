// The one HTTP client for upstream calls: keep-alive sockets reused across invocations, a deadline per call, a size cap, typed errors.
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * Lambda's limit on a synchronous invocation's response (6 MB), the default cap on an upstream body:
 * a bigger one could never be returned through API Gateway, so reading it only burns memory. The
 * proxy lowers the cap for binary bodies, which grow by a third when base64-encoded.
 */
export const LAMBDA_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

/**
 * How long an idle kept-alive socket stays in the pool: below the 5 s keep-alive timeout of Node's
 * own servers (and far below ALB's 60 s and nginx's 75 s), so we close an idle socket before the
 * upstream does and rarely write a request into a socket the other side is closing. A shorter
 * `Keep-Alive: timeout=` hint from the upstream takes precedence (Node applies it).
 */
export const IDLE_SOCKET_TIMEOUT_MS = 4_000;

// Created once per container and shared by every call, so a warm Lambda skips TCP and TLS setup.
// LIFO hands out the most recently used socket, the one least likely to have been closed upstream.
const httpAgent = new http.Agent({ keepAlive: true, scheduling: 'lifo', timeout: IDLE_SOCKET_TIMEOUT_MS });
const httpsAgent = new https.Agent({
  keepAlive: true,
  scheduling: 'lifo',
  timeout: IDLE_SOCKET_TIMEOUT_MS,
  minVersion: 'TLSv1.2',
});

/** Header values as a caller gives them: names in any case, a list for a header sent several times. */
export type HeaderInput = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Headers as the client returns them: lower-case names, every value a list in arrival order (each Set-Cookie apart). */
export type UpstreamHeaders = Readonly<Record<string, readonly string[]>>;

export interface UpstreamRequest {
  /** HTTP method, sent as given (upper case by convention). */
  readonly method: string;
  /** Absolute `http:` or `https:` URL; its host becomes the Host header. */
  readonly url: string | URL;
  /** Hop-by-hop headers, Host and Content-Length are dropped: the client sets its own. */
  readonly headers?: HeaderInput;
  /** Sent as is, byte for byte, with a Content-Length. */
  readonly body?: Buffer;
}

export interface CallOptions {
  /** Deadline of the whole call, connect + TLS + headers + body, in ms. */
  readonly timeoutMs: number;
  /** Body size at which the call is aborted with `upstream_too_large`. @default LAMBDA_PAYLOAD_LIMIT_BYTES */
  readonly maxResponseBytes?: number;
}

export interface UpstreamResponse {
  readonly status: number;
  /** Without hop-by-hop headers. */
  readonly headers: UpstreamHeaders;
  /** The body as received (not decompressed), binary-safe. */
  readonly body: Buffer;
  readonly timings: {
    /** From the call to the response headers, in ms. */
    readonly headersMs: number;
    /** From the call to the last body byte, in ms. */
    readonly totalMs: number;
  };
  /** True when the call went over a kept-alive socket from an earlier call. */
  readonly reusedConnection: boolean;
}

/**
 * Stable codes of `UpstreamError`; logs, metrics and the retry policy use them.
 * - `upstream_timeout`: `timeoutMs` elapsed first.
 * - `upstream_connect_failed`: no connection: DNS failure, refused, unreachable, TLS handshake failed.
 * - `upstream_reset`: the connection broke after it was established (ECONNRESET, closed mid-body).
 * - `upstream_too_large`: the body (declared or received) exceeds `maxResponseBytes`.
 * - `upstream_bad_response`: the bytes received are not valid HTTP.
 */
export type UpstreamErrorCode =
  'upstream_timeout' | 'upstream_connect_failed' | 'upstream_reset' | 'upstream_too_large' | 'upstream_bad_response';

/** Where the call was when it failed: opening the connection (TCP + TLS), waiting for headers, reading the body. */
export type UpstreamPhase = 'connect' | 'headers' | 'body';

/** HTTP status the gateway answers for each code when no fallback applies. */
const STATUS_BY_CODE: Readonly<Record<UpstreamErrorCode, number>> = {
  upstream_timeout: 504,
  upstream_connect_failed: 502,
  upstream_reset: 502,
  upstream_too_large: 502,
  upstream_bad_response: 502,
};

export interface UpstreamErrorDetails {
  readonly phase: UpstreamPhase;
  /** True when any response byte arrived: the upstream began answering, so the request must not be sent again. */
  readonly partial: boolean;
  readonly elapsedMs: number;
  readonly cause?: unknown;
}

/** A failed upstream call. Assert on `code`, not on the message. */
export class UpstreamError extends Error {
  readonly code: UpstreamErrorCode;
  readonly phase: UpstreamPhase;
  readonly partial: boolean;
  readonly elapsedMs: number;
  /** What the gateway answers for this failure: 504 for a timeout, 502 otherwise. */
  readonly statusCode: number;

  constructor(code: UpstreamErrorCode, details: UpstreamErrorDetails) {
    const bytes = details.partial ? 'after part of the response' : 'before any response byte';
    super(`${code} while ${details.phase === 'connect' ? 'connecting' : `reading ${details.phase}`}, ${bytes}`, {
      cause: details.cause,
    });
    this.name = 'UpstreamError';
    this.code = code;
    this.phase = details.phase;
    this.partial = details.partial;
    this.elapsedMs = details.elapsedMs;
    this.statusCode = STATUS_BY_CODE[code];
  }
}

/** Headers that describe one connection, never the message (RFC 9110 §7.6.1); `proxy-*` too. */
const HOP_BY_HOP: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * Lower-cases names, turns every value into a list, and drops hop-by-hop headers: the fixed set,
 * `proxy-*`, and any header the Connection header names.
 */
export function dropHopByHopHeaders(headers: HeaderInput): Record<string, string[]> {
  const entries = Object.entries(headers).flatMap(([name, value]): [string, string[]][] =>
    value === undefined ? [] : [[name.toLowerCase(), typeof value === 'string' ? [value] : [...value]]],
  );
  const named = new Set(
    entries
      .filter(([name]) => name === 'connection')
      .flatMap(([, values]) => values.flatMap((value) => value.split(',')))
      .map((token) => token.trim().toLowerCase()),
  );
  const kept: Record<string, string[]> = {};
  for (const [name, values] of entries) {
    if (HOP_BY_HOP.has(name) || name.startsWith('proxy-') || named.has(name)) continue;
    kept[name] = [...(kept[name] ?? []), ...values];
  }
  return kept;
}

/** The headers the client sends: the caller's end-to-end headers and a Content-Length of its own. */
function outgoingHeaders(request: UpstreamRequest): Record<string, string[] | string> {
  const headers: Record<string, string[] | string> = dropHopByHopHeaders(request.headers ?? {});
  delete headers.host;
  delete headers['content-length'];
  if (request.body !== undefined) headers['content-length'] = String(request.body.length);
  return headers;
}

function checkOptions(request: UpstreamRequest, options: CallOptions): { url: URL; maxBytes: number } {
  const url = new URL(request.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`upstream url must be http: or https:, got ${JSON.stringify(url.protocol)}`);
  }
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new TypeError(`timeoutMs must be a positive number of ms, got ${String(options.timeoutMs)}`);
  }
  const maxBytes = options.maxResponseBytes ?? LAMBDA_PAYLOAD_LIMIT_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new TypeError(`maxResponseBytes must be a whole number of bytes, got ${String(maxBytes)}`);
  }
  return { url, maxBytes };
}

/**
 * Sends one request and reads the whole response. Resolves with any status (a 503 is an answer, not
 * an error); rejects with `UpstreamError` when no complete response arrived, and with `TypeError` on
 * misuse (bad URL, non-positive timeout).
 */
export async function callUpstream(request: UpstreamRequest, options: CallOptions): Promise<UpstreamResponse> {
  const { url, maxBytes } = checkOptions(request, options);
  const tls = url.protocol === 'https:';
  const started = performance.now();
  const sinceStart = () => performance.now() - started;

  return new Promise<UpstreamResponse>((resolve, reject) => {
    let phase: UpstreamPhase = 'connect';
    let bytesReceived = 0;
    let socket: Socket | undefined;
    let settled = false;
    const countBytes = (chunk: Buffer) => {
      bytesReceived += chunk.length;
    };

    const req = (tls ? https : http).request(url, {
      method: request.method,
      headers: outgoingHeaders(request),
      agent: tls ? httpsAgent : httpAgent,
    });

    const finish = () => {
      settled = true;
      clearTimeout(timer);
      socket?.removeListener('data', countBytes);
    };
    const fail = (code: UpstreamErrorCode, cause?: unknown) => {
      if (settled) return;
      finish();
      // Headers arriving imply bytes; the phase check keeps that true whatever the byte count says.
      const partial = bytesReceived > 0 || phase === 'body';
      reject(new UpstreamError(code, { phase, partial, elapsedMs: sinceStart(), cause }));
      req.destroy();
    };
    const failWith = (cause: unknown) => fail(classify(cause, phase), cause);
    const timer = setTimeout(() => fail('upstream_timeout'), options.timeoutMs);

    req.on('socket', (assigned: Socket) => {
      socket = assigned;
      // Counts the bytes of this response (TLS: decrypted) ahead of Node's parser, so `partial` is exact
      // even when the parser fails or the connection breaks inside the status line.
      assigned.prependListener('data', countBytes);
      if (req.reusedSocket) phase = 'headers';
      else assigned.once(tls ? 'secureConnect' : 'connect', () => (phase = phase === 'connect' ? 'headers' : phase));
    });
    req.on('error', failWith);

    req.on('response', (res: http.IncomingMessage) => {
      phase = 'body';
      const headersMs = sinceStart();
      const declared = Number(res.headers['content-length']);
      if (declared > maxBytes) return fail('upstream_too_large');
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) fail('upstream_too_large');
        else chunks.push(chunk);
      });
      res.on('error', failWith);
      res.on('close', () => {
        if (!res.complete) fail('upstream_reset');
      });
      res.on('end', () => {
        if (settled) return;
        finish();
        resolve({
          status: res.statusCode ?? 0,
          headers: dropHopByHopHeaders(res.headersDistinct),
          body: Buffer.concat(chunks, size),
          timings: { headersMs, totalMs: sinceStart() },
          reusedConnection: req.reusedSocket,
        });
      });
    });

    req.end(request.body);
  });
}

/** Any failure before the connection stood (TCP and TLS) is a connect failure: nothing was sent. */
function classify(cause: unknown, phase: UpstreamPhase): UpstreamErrorCode {
  if (phase === 'connect') return 'upstream_connect_failed';
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('HPE_') ? 'upstream_bad_response' : 'upstream_reset';
}
