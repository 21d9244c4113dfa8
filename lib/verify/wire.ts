// What verify sends and sees on the wire: requests, responses and the evidence a check keeps (a leaf, so the client and the checks share it).

/** One HTTP exchange as a check sees it; header names are lower case, repeated values joined with ", ". */
export interface VerifyResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What the transport is asked to send: `url` is the full URL with its path exactly as written (dot segments kept). */
export interface TransportRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

/**
 * Sends one request. The default (http-transport.ts) is node:http(s) and keeps the path as written; `fetch` would
 * resolve `..` and `%2e%2e` before sending (WHATWG URL parsing), which the dot-segment check must not.
 */
export type VerifyTransport = (request: TransportRequest) => Promise<VerifyResponse>;

/** What a check saw: the request it sent and what came back. */
export interface Evidence {
  readonly request: string;
  readonly status?: number;
  /** The response headers that matter to checks (CORS, auth, rate limits, content type). */
  readonly headers?: Readonly<Record<string, string>>;
  /** For echo checks: what the upstream received (headers or path). */
  readonly upstream?: Readonly<Record<string, string | null>>;
  readonly error?: string;
}
