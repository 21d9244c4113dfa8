// A loopback HTTP proxy that hands moto_server one request at a time, so an item's conditional update is atomic as in DynamoDB.
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Why: DynamoDB applies the writes to one item one after the other, so a conditional ADD is atomic.
 * moto_server answers on threads and does not lock an item between its condition check and its
 * write; under a burst two increments can return the same count, which DynamoDB never does. Behind
 * this proxy the clients still race (their requests interleave freely), but moto sees one at a time.
 */
export interface SerialProxy {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function startSerialProxy(upstream: string): Promise<SerialProxy> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set<Socket>();
  let queue: Promise<void> = Promise.resolve();

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> =>
    new Promise((resolve) => {
      const upstreamRequest = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
        (upstreamResponse) => {
          res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
          upstreamResponse.pipe(res);
          upstreamResponse.on('end', resolve);
          upstreamResponse.on('error', resolve);
        },
      );
      upstreamRequest.on('error', () => {
        res.destroy();
        resolve();
      });
      upstreamRequest.end(body);
    });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      queue = queue.then(() => forward(req, body, res));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
