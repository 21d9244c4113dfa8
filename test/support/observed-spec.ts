// Test support: one gateway with every feature that has an alarm (breakers, proxy and part retries, fallback, last good, rate limits, aggregate, JWT), on either flavor.

/** A REST or HTTP gateway whose plan has every kind of Gatehouse alarm; HTTP gets roles so its JWT check is the Gatehouse Lambda authorizer. */
export function observedSpec(flavor: 'rest' | 'http' = 'rest', gatewayOverrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    services: {
      orders: {
        targets: [
          { name: 'v1', url: 'https://orders-v1.internal', weight: 90 },
          { name: 'v2', url: 'https://orders-v2.internal', weight: 10 },
        ],
        circuitBreaker: { state: 'local' },
        retries: { attempts: 2 },
        fallback: { status: 503, json: { message: 'later' } },
        lastGood: { ttlSeconds: 30 },
        proxy: { reservedConcurrency: 20 },
      },
      users: { url: 'https://users.internal' },
      recs: { url: 'https://recs.internal', circuitBreaker: { state: 'local' }, retries: { attempts: 1 } },
    },
    gateways: {
      public: {
        flavor,
        auth: { jwt: { issuers: [{ issuer: 'https://id.example.com/', audience: ['api'] }] } },
        routes: [
          {
            name: 'orders',
            service: 'orders',
            paths: ['/api/orders'],
            methods: ['GET'],
            auth: { jwt: { roles: ['buyer'] } },
            rateLimit: { minute: 100 },
          },
          { service: 'users', paths: ['/api/users'] },
        ],
        aggregates: [
          {
            path: '/api/home',
            parts: {
              profile: { service: 'users', path: '/users/1' },
              recs: { service: 'recs', path: '/recs', optional: true, fallback: [] },
            },
          },
        ],
        ...gatewayOverrides,
      },
    },
  };
}
