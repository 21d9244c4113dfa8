// A JWKS and OpenID discovery endpoint on a node:http server on 127.0.0.1, with fault injection.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONWebKeySet } from 'jose';

/** ok: serve it; hang: accept and never answer; garbage: 200 with a non-JSON body; invalid: 200 JSON that is no key set; error: 500. */
export type Fault = 'ok' | 'hang' | 'garbage' | 'invalid' | 'error';

export interface JwksServer {
  /** `http://127.0.0.1:<port>`, also the issuer its discovery document names by default. */
  readonly origin: string;
  readonly jwksUri: string;
  /** Requests served per path since start (or the last `resetCounts`). */
  readonly hits: { jwks: number; discovery: number };
  keys: JSONWebKeySet;
  jwksFault: Fault;
  discoveryFault: Fault;
  /** What the discovery document says; defaults to the server's own issuer and JWKS. */
  discovery: { issuer?: string; jwks_uri?: string } | undefined;
  resetCounts(): void;
  close(): Promise<void>;
}

export const JWKS_PATH = '/keys/jwks.json';
export const DISCOVERY_PATH = '/.well-known/openid-configuration';

export async function startJwksServer(keys: JSONWebKeySet): Promise<JwksServer> {
  const state = {
    keys,
    jwksFault: 'ok' as Fault,
    discoveryFault: 'ok' as Fault,
    discovery: undefined as JwksServer['discovery'],
    hits: { jwks: 0, discovery: 0 },
  };
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '';
    if (path !== JWKS_PATH && path !== DISCOVERY_PATH) {
      res.writeHead(404).end();
      return;
    }
    const isJwks = path === JWKS_PATH;
    state.hits[isJwks ? 'jwks' : 'discovery'] += 1;
    const fault = isJwks ? state.jwksFault : state.discoveryFault;
    const body = isJwks ? state.keys : { issuer: origin, jwks_uri: `${origin}${JWKS_PATH}`, ...state.discovery };
    switch (fault) {
      case 'hang':
        return; // the socket stays open until the client gives up or the server closes
      case 'error':
        res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' }).end('<html>not json');
        return;
      case 'invalid':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: 'nope' }));
        return;
      default:
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    origin,
    jwksUri: `${origin}${JWKS_PATH}`,
    resetCounts: () => {
      state.hits.jwks = 0;
      state.hits.discovery = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** A loopback URL nothing listens on: a port that was free a moment ago. */
export async function refusedOrigin(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
