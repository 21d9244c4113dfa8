// A real OpenID provider (oidc-provider) on 127.0.0.1 issuing JWT access tokens by client_credentials.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { vi } from 'vitest';

export const CLIENT_ID = 'orders-client';
const CLIENT_SECRET = 'orders-client-secret-for-tests-only';
export const AUDIENCE = 'orders-api';
const SCOPES = ['orders:read', 'orders:write'];

export interface OpenIdProvider {
  /** The issuer, `http://127.0.0.1:<port>`. */
  readonly issuer: string;
  /** Requests per path, to see what the authorizer fetched. */
  readonly hits: Map<string, number>;
  /** An access token by client_credentials for `scope`, signed with the provider's first key. */
  token(scope: string): Promise<string>;
  /** Restarts the provider behind the same address with these signing keys (the first one signs). */
  rotate(keys: JWK[]): Promise<void>;
  close(): Promise<void>;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export async function startOpenIdProvider(keys: JWK[]): Promise<OpenIdProvider> {
  let listener: RequestListener | undefined;
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    listener!(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const rotate = async (signingKeys: JWK[]) => {
    listener = (await provider(issuer, signingKeys)).callback();
  };
  await rotate(keys);

  return {
    issuer,
    hits,
    rotate,
    async token(scope) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
      });
      const body = (await response.json()) as { access_token?: string; error?: string };
      if (!body.access_token) throw new Error(`token endpoint answered ${response.status}: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function provider(issuer: string, keys: JWK[]) {
  // oidc-provider prints start-up notices (Node 20 "unsupported runtime", dev-only in-memory adapter) through console.
  const quiet = [
    vi.spyOn(console, 'warn').mockImplementation(() => undefined),
    vi.spyOn(console, 'info').mockImplementation(() => undefined),
  ];
  try {
    const { default: Provider } = await import('oidc-provider');
    return new Provider(issuer, {
      clients: [
        {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          grant_types: ['client_credentials'],
          redirect_uris: [],
          response_types: [],
          scope: SCOPES.join(' '),
        },
      ],
      scopes: SCOPES,
      jwks: { keys },
      ttl: { ClientCredentials: 300 },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => 'urn:gatehouse:orders-api',
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({
            scope: SCOPES.join(' '),
            audience: AUDIENCE,
            accessTokenFormat: 'jwt',
            accessTokenTTL: 300,
            jwt: { sign: { alg: 'RS256' } },
          }),
        },
      },
    });
  } finally {
    quiet.forEach((spy) => spy.mockRestore());
  }
}
