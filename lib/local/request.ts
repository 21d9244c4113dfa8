// The request and response shapes the local gateways pass around, read from and written to node:http.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

export interface LocalRequest {
  readonly method: string;
  /** The path after the stage prefix (REST) or the whole path (HTTP `$default` stage). */
  readonly path: string;
  /** The path as sent, stage prefix included. */
  readonly rawPath: string;
  readonly rawQuery: string;
  /** Header names as the client sent them, values joined; look up with `header()`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly multiValueHeaders: Readonly<Record<string, string[]>>;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly requestId: string;
  readonly startedAt: number;
}

export interface LocalResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

export function header(request: Pick<LocalRequest, 'headers'>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

export async function readRequest(
  req: IncomingMessage,
  stagePrefix: string,
): Promise<LocalRequest | { readonly wrongStage: LocalRequest }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) (multiValueHeaders[req.rawHeaders[i]!] ??= []).push(req.rawHeaders[i + 1]!);
  const headers = Object.fromEntries(Object.entries(multiValueHeaders).map(([k, v]) => [k, v.join(',')]));
  const inStage = !stagePrefix || rawPath === stagePrefix || rawPath.startsWith(`${stagePrefix}/`);
  const request: LocalRequest = {
    method: req.method ?? 'GET',
    path: inStage ? rawPath.slice(stagePrefix.length) || '/' : rawPath,
    rawPath,
    rawQuery: q < 0 ? '' : url.slice(q + 1),
    headers,
    multiValueHeaders,
    body: Buffer.concat(chunks),
    sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    userAgent: req.headers['user-agent'] ?? '',
    requestId: randomUUID(),
    startedAt: Date.now(),
  };
  return inStage ? request : { wrongStage: request };
}

export function writeResponse(res: ServerResponse, response: LocalResponse): void {
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.statusCode = response.status;
  res.end(response.body);
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string | string[]> = {}): LocalResponse {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: Buffer.from(JSON.stringify(body)) };
}

/** Query parameters as API Gateway passes them: the last value wins in the single-value map. */
export function queryMaps(rawQuery: string): { single: Record<string, string> | null; multi: Record<string, string[]> | null } {
  if (!rawQuery) return { single: null, multi: null };
  const multi: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(rawQuery)) (multi[k] ??= []).push(v);
  return { single: Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v[v.length - 1]!])), multi };
}
