// A loopback HTTP proxy in front of moto_server that can drop connections or answer as a throttled DynamoDB.
import { createServer, request, type Server } from 'node:http';
import type { Socket } from 'node:net';

/** pass: forward to moto; down: reset every connection; throttle: answer DynamoDB's ThrottlingException. */
export type ProxyMode = 'pass' | 'down' | 'throttle';

export interface FaultProxy {
  readonly endpoint: string;
  mode: ProxyMode;
  /** Requests that reached the proxy, whatever the mode. */
  readonly requests: number;
  close(): Promise<void>;
}

/** What DynamoDB answers when a table's or the account's throughput is exceeded (JSON 1.0 protocol). */
const THROTTLED_BODY = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
  message: 'Rate of requests exceeds the allowed throughput.',
});

export async function startFaultProxy(upstreamPort: number): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  let requests = 0;
  const state = { mode: 'pass' as ProxyMode };
  const server: Server = createServer((req, res) => {
    requests += 1;
    if (state.mode === 'down') {
      req.socket.destroy();
      return;
    }
    if (state.mode === 'throttle') {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'ThrottlingException' });
      res.end(THROTTLED_BODY);
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // Connections kept alive from before the outage die with it, as they would on a real network cut.
    if (state.mode === 'down') socket.destroy();
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    get mode() {
      return state.mode;
    },
    set mode(next: ProxyMode) {
      state.mode = next;
      if (next === 'down') for (const socket of sockets) socket.destroy();
    },
    get requests() {
      return requests;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
