// The echo upstream `gatehouse local --echo` serves: answers every request with what reached it, as JSON.
import { createServer, type Server } from 'node:http';

export interface EchoUpstream {
  readonly url: string;
  close(): Promise<void>;
}

/** What the echo upstream answers: the request as the upstream saw it (method, path, query, headers, body). */
export interface EchoAnswer {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export async function startEchoUpstream(port = 0): Promise<EchoUpstream> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const answer: EchoAnswer = {
        method: req.method ?? 'GET',
        path: q < 0 ? url : url.slice(0, q),
        query: q < 0 ? '' : url.slice(q + 1),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      res.writeHead(200, { 'content-type': 'application/json', 'x-gatehouse-echo': '1' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
