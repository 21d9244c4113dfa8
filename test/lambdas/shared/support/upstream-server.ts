// A real upstream on 127.0.0.1 whose answers are scripted per path (latency, 5xx, resets, hangs, drips, echoes), counting what arrives.
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';

/** What the upstream does with one request. Every behaviour reads the request body first. */
export type UpstreamBehaviour =
  /** Answers after `delayMs` (latency before headers). `chunked` leaves out Content-Length. */
  | {
      readonly kind: 'respond';
      readonly status?: number;
      readonly headers?: OutgoingHttpHeaders;
      readonly body?: string | Buffer;
      readonly delayMs?: number;
      readonly chunked?: boolean;
    }
  /** Answers 200 with JSON: method, url, headers (`headersDistinct`), raw header lines, body in base64. */
  | { readonly kind: 'echo' }
  /** Answers 200 with the request body as application/octet-stream, byte for byte. */
  | { readonly kind: 'echo-body' }
  /** Resets the connection (TCP RST) before any response byte. */
  | { readonly kind: 'reset-before-headers' }
  /**
   * Sends the headers (declaring `declaredBytes`) and `sentBytes` of body, then closes the
   * connection. It closes rather than resets once the bytes are flushed: an RST could make the
   * client's kernel drop bytes it had not read yet, and the test would no longer know what arrived.
   */
  | { readonly kind: 'reset-after-headers'; readonly status?: number; readonly declaredBytes: number; readonly sentBytes: number }
  /** Writes `data` as is on the socket (no HTTP framing from the server), then closes: malformed or cut-off responses. */
  | { readonly kind: 'raw'; readonly data: string }
  /** Reads the request and never answers. */
  | { readonly kind: 'hang' }
  /** Sends the headers, then `chunks` chunks of `chunk`, one every `intervalMs`, then ends (a slow body). */
  | { readonly kind: 'drip'; readonly chunks: number; readonly intervalMs: number; readonly chunk?: string };

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string[] | undefined>>;
  readonly rawHeaders: readonly string[];
  /** Which connection it came on: 1 for the server's first connection, 2 for the next, ... */
  readonly connection: number;
  /** Filled once the whole body has arrived. */
  body?: Buffer;
}

export interface UpstreamServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly port: number;
  url(path: string): string;
  /** The next requests to `path` get these behaviours in order; the last one repeats. Unscripted paths echo. */
  script(path: string, ...behaviours: UpstreamBehaviour[]): void;
  /** Requests that reached `path` (query string ignored), counted as soon as their headers arrive. */
  hits(path: string): number;
  received(path: string): readonly ReceivedRequest[];
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export interface UpstreamServerOptions {
  /** @default 0 (any free port) */
  readonly port?: number;
}

export async function startUpstream(options: UpstreamServerOptions = {}): Promise<UpstreamServer> {
  const scripts = new Map<string, UpstreamBehaviour[]>();
  const received = new Map<string, ReceivedRequest[]>();
  const connectionIds = new WeakMap<Socket, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let connections = 0;

  const later = (ms: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  };

  const nextBehaviour = (path: string): UpstreamBehaviour => {
    const queue = scripts.get(path);
    if (queue === undefined || queue.length === 0) return { kind: 'echo' };
    return queue.length > 1 ? (queue.shift() as UpstreamBehaviour) : (queue[0] as UpstreamBehaviour);
  };

  const server = createServer((req, res) => {
    const path = pathOf(req.url);
    const entry: ReceivedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headersDistinct,
      rawHeaders: req.rawHeaders,
      connection: connectionIds.get(req.socket) ?? 0,
    };
    received.set(path, [...(received.get(path) ?? []), entry]);
    const behaviour = nextBehaviour(path);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      entry.body = Buffer.concat(chunks);
      perform(behaviour, entry, req, res, later);
    });
  });
  server.keepAliveTimeout = 10_000;
  server.on('connection', (socket: Socket) => {
    connections += 1;
    connectionIds.set(socket, connections);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  const origin = `http://127.0.0.1:${address.port}`;

  return {
    origin,
    port: address.port,
    url: (path) => `${origin}${path}`,
    script: (path, ...behaviours) => void scripts.set(path, [...behaviours]),
    hits: (path) => received.get(path)?.length ?? 0,
    received: (path) => received.get(path) ?? [],
    get connections() {
      return connections;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function perform(
  behaviour: UpstreamBehaviour,
  entry: ReceivedRequest,
  req: IncomingMessage,
  res: ServerResponse,
  later: (ms: number, action: () => void) => void,
): void {
  switch (behaviour.kind) {
    case 'respond': {
      const send = () => {
        if (res.destroyed) return;
        const body = behaviour.body ?? '';
        const headers: OutgoingHttpHeaders = { ...behaviour.headers };
        if (!behaviour.chunked) headers['content-length'] = Buffer.byteLength(body);
        res.writeHead(behaviour.status ?? 200, headers);
        if (behaviour.chunked && body.length > 0) res.write(body);
        res.end(behaviour.chunked ? undefined : body);
      };
      if (behaviour.delayMs) later(behaviour.delayMs, send);
      else send();
      return;
    }
    case 'echo': {
      const body = JSON.stringify({
        method: entry.method,
        url: entry.url,
        headers: entry.headers,
        rawHeaders: entry.rawHeaders,
        body: entry.body?.toString('base64') ?? '',
      });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    case 'echo-body':
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': entry.body?.length ?? 0 });
      res.end(entry.body);
      return;
    case 'reset-before-headers':
      req.socket.resetAndDestroy();
      return;
    case 'reset-after-headers':
      res.writeHead(behaviour.status ?? 200, { 'content-type': 'application/octet-stream', 'content-length': behaviour.declaredBytes });
      res.write(Buffer.alloc(behaviour.sentBytes, 0x61), () => req.socket.destroy());
      return;
    case 'raw':
      req.socket.end(behaviour.data);
      return;
    case 'hang':
      return;
    case 'drip': {
      res.writeHead(200, { 'content-type': 'text/plain' });
      let sent = 0;
      const drip = () => {
        if (res.destroyed) return;
        if (sent === behaviour.chunks) return void res.end();
        sent += 1;
        res.write(behaviour.chunk ?? '.');
        later(behaviour.intervalMs, drip);
      };
      drip();
      return;
    }
  }
}

/** A port nothing listens on (until a test starts something there): bound once by the OS, then released. */
export async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  return address.port;
}

function pathOf(url: string | undefined): string {
  const path = url ?? '/';
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}
