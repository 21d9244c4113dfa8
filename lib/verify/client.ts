// The only way checks reach the network: the given URLs only, one deadline per request, a cap on the run's requests.
import type { Evidence, VerifyResponse, VerifyTransport } from './wire';

/** Thrown when a check would send past the run's cap; the runner reports the check as skipped. */
export class RequestBudgetExhausted extends Error {
  readonly code = 'request_budget_exhausted';
  constructor(readonly cap: number) {
    super(`the run's cap of ${cap} requests is reached (--max-requests)`);
  }
}

export interface ProbeRequest {
  readonly method: string;
  /** Path below the base URL, as written (may carry `..` or a query). */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** `execute-api`: the API's own URL given for the origin-verify check. @default 'url' */
  readonly base?: 'url' | 'execute-api';
}

/** A request and its answer, or why there was none. */
export interface Probe {
  /** `GET /api/users`, for the report. */
  readonly request: string;
  readonly response?: VerifyResponse;
  readonly error?: string;
}

export interface VerifyClientOptions {
  readonly url: string;
  readonly executeApiUrl?: string;
  readonly transport: VerifyTransport;
  readonly timeoutMs: number;
  readonly maxRequests: number;
}

export class VerifyClient {
  private count = 0;
  constructor(private readonly options: VerifyClientOptions) {}

  /** Requests sent so far. */
  get sent(): number {
    return this.count;
  }

  get remaining(): number {
    return this.options.maxRequests - this.count;
  }

  async send(req: ProbeRequest): Promise<Probe> {
    if (this.count >= this.options.maxRequests) throw new RequestBudgetExhausted(this.options.maxRequests);
    const base = req.base === 'execute-api' ? this.options.executeApiUrl : this.options.url;
    if (base === undefined) throw new TypeError('no --execute-api-url to send to');
    this.count += 1;
    const label = `${req.method} ${req.base === 'execute-api' ? '[execute-api]' : ''}${req.path}`;
    try {
      const response = await this.options.transport({
        method: req.method,
        url: joinBase(base, req.path),
        headers: req.headers ?? {},
        ...(req.body !== undefined ? { body: req.body } : {}),
        timeoutMs: this.options.timeoutMs,
      });
      return { request: label, response };
    } catch (err) {
      return { request: label, error: (err as Error)?.message ?? String(err) };
    }
  }
}

/** `https://h/prod` + `/api/x` → `https://h/prod/api/x`, the path appended as written. */
export function joinBase(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

/** Headers checks read, kept in the evidence; the rest (cookies, tracing ids) stay out of reports. */
const EVIDENCE_HEADERS = /^(access-control-|www-authenticate$|ratelimit-|retry-after$|content-type$|x-amzn-errortype$|vary$|allow$)/;

export function evidenceOf(probe: Probe, upstream?: Evidence['upstream']): Evidence {
  if (!probe.response) return { request: probe.request, error: probe.error ?? 'no answer' };
  const headers = Object.fromEntries(Object.entries(probe.response.headers).filter(([name]) => EVIDENCE_HEADERS.test(name)));
  return { request: probe.request, status: probe.response.status, headers, ...(upstream ? { upstream } : {}) };
}
