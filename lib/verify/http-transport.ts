// The default transport: one node:http(s) request with the path sent exactly as written and a deadline.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TransportRequest, VerifyResponse } from './types';

/** Bodies longer than this are cut: checks read status, headers and small JSON bodies only. */
const MAX_BODY_BYTES = 256 * 1024;

export function httpTransport(req: TransportRequest): Promise<VerifyResponse> {
  const { origin, rawPath } = splitUrl(req.url);
  const target = new URL(origin);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      {
        protocol: target.protocol,
        hostname: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port || undefined,
        method: req.method,
        // Not through `new URL`: the dot-segment check needs `..` and `%2e%2e` to reach the gateway as sent.
        path: rawPath,
        headers: { ...req.headers, ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}) },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => {
          clearTimeout(timer);
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headersDistinct)) if (value) headers[name] = value.join(', ');
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY_BYTES) });
        });
        res.on('error', fail);
      },
    );
    const timer = setTimeout(() => outgoing.destroy(new Error(`no answer within ${req.timeoutMs} ms`)), req.timeoutMs);
    function fail(err: Error) {
      clearTimeout(timer);
      reject(err);
    }
    outgoing.on('error', fail);
    outgoing.end(req.body);
  });
}

/** `https://host:443/prod/a/../b?q` → origin and the path+query as written. */
export function splitUrl(url: string): { origin: string; rawPath: string } {
  const match = /^(https?:\/\/[^/?#]+)([^#]*)/i.exec(url);
  if (!match) throw new TypeError(`not an http(s) URL: ${url}`);
  const rest = match[2] ?? '';
  return { origin: match[1]!, rawPath: rest.startsWith('/') ? rest : `/${rest}` };
}
