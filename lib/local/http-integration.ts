// HTTP_PROXY integrations: the request forwarded to the (overridable) upstream URL with the definition's parameter mappings.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LocalRequest, LocalResponse } from './request';

/** Hop-by-hop headers never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
  'host',
  'content-length',
]);

export interface UpstreamCall {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly timeoutMs: number;
}

export type UpstreamOutcome =
  { readonly ok: true; readonly response: LocalResponse } | { readonly ok: false; readonly timeout: boolean; readonly message: string };

/** The request's headers without hop-by-hop ones, names as sent. */
export function forwardableHeaders(r: LocalRequest): Record<string, string> {
  return Object.fromEntries(Object.entries(r.headers).filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase())));
}

export function setHeader(headers: Record<string, string>, name: string, value: string | undefined): void {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
  if (value !== undefined) headers[name] = value;
}

export function callUpstream(call: UpstreamCall): Promise<UpstreamOutcome> {
  return new Promise((resolve) => {
    const url = new URL(call.url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      { method: call.method, headers: { ...call.headers, 'content-length': String(call.body.length) }, timeout: call.timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
          resolve({ ok: true, response: { status: res.statusCode ?? 502, headers, body: Buffer.concat(chunks) } });
        });
        res.on('error', (err) => resolve({ ok: false, timeout: false, message: err.message }));
      },
    );
    req.on('timeout', () => {
      req.destroy();
      resolve({ ok: false, timeout: true, message: `no answer within ${call.timeoutMs} ms` });
    });
    req.on('error', (err) => resolve({ ok: false, timeout: false, message: err.message }));
    req.end(call.body);
  });
}
