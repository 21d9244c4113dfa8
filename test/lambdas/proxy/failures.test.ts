// Upstream failures become fast, typed answers: timeouts, refused and reset connections, malformed and slow responses, and safe retries.
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyConfig } from '../../../lambdas/contract/proxy-config';
import { createProxy, type ProxyDeps } from '../../../lambdas/proxy/proxy';
import { freePort, startUpstream, type UpstreamServer } from '../shared/support/upstream-server';
import { bodyOf, jsonOf, proxyConfig, quietDeps, restEvent } from './support/events';
import { scaled } from '../../support/time-factor';

let upstream: UpstreamServer;

beforeAll(async () => {
  upstream = await startUpstream();
});

afterAll(async () => {
  await upstream.close();
});

/** Retries on 503 with tiny backoff, so retry tests spend their time on the network, not sleeping. */
const RETRY = { retries: 2, baseDelayMs: 1, maxDelayMs: 5, retryOnStatuses: [503] };

async function timed(
  config: Partial<ProxyConfig>,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
  deps: ProxyDeps = {},
) {
  const proxy = createProxy(proxyConfig(upstream.origin, config), { ...quietDeps(), ...deps });
  const started = performance.now();
  const result = await proxy(
    restEvent({
      pathParameters: { proxy: path.slice(1) },
      method: options.method,
      headers: options.headers,
      body: options.method === 'POST' ? '{}' : undefined,
    }),
  );
  return { result, elapsedMs: performance.now() - started };
}

describe('GIVEN an upstream that fails', () => {
  it('WHEN it does not answer within timeoutMs THEN the proxy answers 504 upstream_timeout soon after, well before the deadline', async () => {
    upstream.script('/slow', { kind: 'hang' });
    const { result, elapsedMs } = await timed({ timeoutMs: 200, deadlineMs: 5000 }, '/slow');
    expect(result.statusCode).toBe(504);
    expect(jsonOf(result)).toEqual({ message: expect.any(String), code: 'upstream_timeout' });
    expect(elapsedMs).toBeGreaterThanOrEqual(190);
    expect(elapsedMs).toBeLessThan(scaled(2000));
  });

  it('WHEN nothing listens on the target port THEN the proxy answers 502 upstream_connect_failed', async () => {
    const proxy = createProxy(proxyConfig(`http://127.0.0.1:${await freePort()}`), quietDeps());
    const result = await proxy(restEvent());
    expect(result.statusCode).toBe(502);
    expect(jsonOf(result).code).toBe('upstream_connect_failed');
  });

  it('WHEN the upstream resets the connection THEN the proxy answers 502 upstream_reset', async () => {
    upstream.script('/reset', { kind: 'reset-before-headers' });
    const { result } = await timed({}, '/reset');
    expect(result.statusCode).toBe(502);
    expect(jsonOf(result).code).toBe('upstream_reset');
  });

  it('WHEN the upstream closes mid-body THEN the proxy answers 502 upstream_reset, never the partial body', async () => {
    upstream.script('/cut', { kind: 'reset-after-headers', declaredBytes: 1000, sentBytes: 10 });
    const { result } = await timed({ retry: RETRY }, '/cut');
    expect(result.statusCode).toBe(502);
    expect(jsonOf(result).code).toBe('upstream_reset');
    expect(upstream.hits('/cut')).toBe(1);
  });

  it('WHEN the upstream answers bytes that are not HTTP THEN the proxy answers 502 upstream_bad_response', async () => {
    upstream.script('/garbage', { kind: 'raw', data: 'NOT HTTP AT ALL\r\n\r\n' });
    const { result } = await timed({}, '/garbage');
    expect(result.statusCode).toBe(502);
    expect(jsonOf(result).code).toBe('upstream_bad_response');
  });

  it('WHEN the upstream declares a body over 6 MB THEN the proxy answers 502 upstream_too_large without reading it', async () => {
    upstream.script('/huge', { kind: 'raw', data: 'HTTP/1.1 200 OK\r\nContent-Length: 7000000\r\n\r\n' });
    const { result } = await timed({}, '/huge');
    expect(result.statusCode).toBe(502);
    expect(jsonOf(result).code).toBe('upstream_too_large');
  });

  it('WHEN the upstream hangs and retries are allowed THEN the whole request still ends at the deadline with 504', async () => {
    upstream.script('/hang-deadline', { kind: 'hang' });
    const { result, elapsedMs } = await timed({ timeoutMs: 5000, deadlineMs: 300, retry: RETRY }, '/hang-deadline');
    expect(result.statusCode).toBe(504);
    expect(elapsedMs).toBeGreaterThanOrEqual(290);
    expect(elapsedMs).toBeLessThan(scaled(2500));
    expect(upstream.hits('/hang-deadline')).toBe(1);
  });

  it('WHEN the body drips slower than timeoutMs allows THEN the proxy answers 504, not a partial body', async () => {
    upstream.script('/drip-slow', { kind: 'drip', chunks: 20, intervalMs: 50 });
    const { result, elapsedMs } = await timed({ timeoutMs: 250 }, '/drip-slow');
    expect(result.statusCode).toBe(504);
    expect(elapsedMs).toBeLessThan(scaled(900));
  });

  it('WHEN the body drips within timeoutMs THEN the client gets all of it', async () => {
    upstream.script('/drip-ok', { kind: 'drip', chunks: 5, intervalMs: 10, chunk: 'ab' });
    const { result } = await timed({ timeoutMs: 3000 }, '/drip-ok');
    expect(result).toMatchObject({ statusCode: 200, body: 'ababababab' });
  });

  it('WHEN something unexpected throws inside the proxy THEN the client gets 502 proxy_error, never a raw 500', async () => {
    upstream.script('/boom', { kind: 'respond', status: 503 }, { kind: 'echo' });
    const sleep = () => Promise.reject(new Error('boom'));
    const { result } = await timed({ retry: { ...RETRY, baseDelayMs: 10, maxDelayMs: 10 } }, '/boom', {}, { sleep, random: () => 0.5 });
    expect(result.statusCode).toBe(502);
    expect(jsonOf(result).code).toBe('proxy_error');
  });

  it('WHEN the upstream answers 5xx and nothing is configured to degrade THEN its answer is returned as is', async () => {
    upstream.script('/honest', { kind: 'respond', status: 500, headers: { 'content-type': 'text/plain' }, body: 'upstream broke' });
    const { result } = await timed({}, '/honest');
    expect(result).toMatchObject({ statusCode: 500, body: 'upstream broke' });
  });
});

describe('GIVEN retries on 503 with a retry budget', () => {
  it('WHEN a GET gets 503 twice and then an answer THEN the client gets the answer after three attempts', async () => {
    upstream.script('/flaky', { kind: 'respond', status: 503 }, { kind: 'respond', status: 503 }, { kind: 'respond', body: 'third time' });
    const { result } = await timed({ retry: RETRY }, '/flaky');
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result).toString()).toBe('third time');
    expect(upstream.hits('/flaky')).toBe(3);
  });

  it.each([
    ['a reset', { kind: 'reset-before-headers' } as const, 502],
    ['a timeout', { kind: 'hang' } as const, 504],
    ['a 503', { kind: 'respond', status: 503 } as const, 503],
  ])('WHEN a POST without Idempotency-Key meets %s THEN it is sent exactly once', async (_name, behaviour, status) => {
    const path = `/post-once-${status}`;
    upstream.script(path, behaviour);
    const { result } = await timed({ retry: { ...RETRY, retryOnStatuses: [503] }, timeoutMs: 300 }, path, { method: 'POST' });
    expect(result.statusCode).toBe(status);
    expect(upstream.hits(path)).toBe(1);
  });

  it('WHEN a POST with an Idempotency-Key meets resets THEN it is retried and succeeds', async () => {
    upstream.script('/post-key', { kind: 'reset-before-headers' }, { kind: 'reset-before-headers' }, { kind: 'echo-body' });
    const { result } = await timed({ retry: RETRY }, '/post-key', { method: 'POST', headers: { 'Idempotency-Key': 'k-1' } });
    expect(result.statusCode).toBe(200);
    expect(upstream.hits('/post-key')).toBe(3);
    expect(upstream.received('/post-key').every((request) => request.body?.toString() === '{}')).toBe(true);
  });

  it('WHEN the config has no retry policy THEN a GET is sent once even on 503', async () => {
    upstream.script('/no-retry', { kind: 'respond', status: 503 });
    const { result } = await timed({}, '/no-retry');
    expect(result.statusCode).toBe(503);
    expect(upstream.hits('/no-retry')).toBe(1);
  });
});
