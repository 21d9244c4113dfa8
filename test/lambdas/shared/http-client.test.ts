// The upstream HTTP client against a real fault-injecting server on 127.0.0.1: keep-alive, deadlines, resets, size cap, fidelity.
import { randomBytes } from 'node:crypto';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callUpstream,
  dropHopByHopHeaders,
  LAMBDA_PAYLOAD_LIMIT_BYTES,
  UpstreamError,
  type CallOptions,
  type UpstreamRequest,
} from '../../../lambdas/shared/http-client';
import { freePort, startUpstream, type UpstreamServer } from './support/upstream-server';
import { scaled } from '../../support/time-factor';

/** Short deadlines keep the file fast; the hung or dripping upstreams below take seconds, so they cannot win by accident. */
const TIMEOUT_MS = 500;
/** How late a timeout may fire on a loaded 2-core machine before the test calls it wrong. */
const SLACK_MS = scaled(2_000);

let upstream: UpstreamServer;
beforeAll(async () => {
  upstream = await startUpstream();
});
afterAll(async () => {
  await upstream.close();
});

/** Resolves with the `UpstreamError` the call fails with; fails the test if it succeeds or throws something else. */
async function failure(request: UpstreamRequest, options: CallOptions = { timeoutMs: TIMEOUT_MS }): Promise<UpstreamError> {
  const error: unknown = await callUpstream(request, options).then(
    (response) => new Error(`expected a failure, got status ${response.status}`),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof UpstreamError)) throw error;
  return error;
}

describe('GIVEN a healthy upstream', () => {
  it('WHEN several calls go one after another THEN they all travel over one kept-alive connection', async () => {
    const own = await startUpstream();
    try {
      const responses = [];
      for (let i = 0; i < 4; i += 1) responses.push(await callUpstream({ method: 'GET', url: own.url('/ka') }, { timeoutMs: 5_000 }));
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
      expect(own.connections).toBe(1);
      expect(new Set(own.received('/ka').map((request) => request.connection))).toEqual(new Set([1]));
      expect(responses.map((response) => response.reusedConnection)).toEqual([false, true, true, true]);
    } finally {
      await own.close();
    }
  });

  it('WHEN a binary body goes up and comes back THEN every byte survives, and the body is a Buffer', async () => {
    const sent = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, byte) => byte)), randomBytes(256 * 1024)]);
    upstream.script('/binary', { kind: 'echo-body' });
    const response = await callUpstream({ method: 'POST', url: upstream.url('/binary'), body: sent }, { timeoutMs: 5_000 });
    expect(Buffer.isBuffer(response.body)).toBe(true);
    expect(response.body.equals(sent)).toBe(true);
    expect(upstream.received('/binary')[0]?.body?.equals(sent)).toBe(true);
    expect(upstream.received('/binary')[0]?.headers['content-length']).toEqual([String(sent.length)]);
  });

  it('WHEN the upstream sends a body that is not valid JSON THEN the client returns its bytes untouched', async () => {
    upstream.script('/malformed', { kind: 'respond', headers: { 'content-type': 'application/json' }, body: '{"orders": [1, 2' });
    const response = await callUpstream({ method: 'GET', url: upstream.url('/malformed') }, { timeoutMs: 5_000 });
    expect(response.body.toString('utf8')).toBe('{"orders": [1, 2');
  });

  it('WHEN the upstream sets several cookies and repeats a header THEN each value is kept apart, in order', async () => {
    const cookies = ['session=abc; Path=/; HttpOnly', 'theme=dark; Max-Age=3600', 'tracking=; Expires=Thu, 01 Jan 1970 00:00:00 GMT'];
    upstream.script('/cookies', { kind: 'respond', headers: { 'set-cookie': cookies, 'x-multi': ['one', 'two'] }, body: 'ok' });
    const response = await callUpstream({ method: 'GET', url: upstream.url('/cookies') }, { timeoutMs: 5_000 });
    expect(response.headers['set-cookie']).toEqual(cookies);
    expect(response.headers['x-multi']).toEqual(['one', 'two']);
  });

  it('WHEN the upstream answers with hop-by-hop headers THEN the client returns only end-to-end ones', async () => {
    upstream.script('/hop', {
      kind: 'respond',
      chunked: true,
      headers: {
        connection: 'keep-alive, x-conn-scoped',
        'keep-alive': 'timeout=5',
        'x-conn-scoped': 'gone',
        'proxy-authenticate': 'Basic realm="upstream"',
        trailer: 'x-checksum',
        upgrade: 'h2c',
        'x-end-to-end': 'kept',
      },
      body: 'chunked body',
    });
    const response = await callUpstream({ method: 'GET', url: upstream.url('/hop') }, { timeoutMs: 5_000 });
    expect(response.body.toString()).toBe('chunked body');
    expect(response.headers['x-end-to-end']).toEqual(['kept']);
    for (const name of ['connection', 'keep-alive', 'x-conn-scoped', 'proxy-authenticate', 'trailer', 'upgrade', 'transfer-encoding']) {
      expect(response.headers, name).not.toHaveProperty(name);
    }
  });

  it('WHEN a caller forwards hop-by-hop headers, Host and Content-Length THEN the upstream receives none of them, but end-to-end ones intact', async () => {
    upstream.script('/forward', { kind: 'echo' });
    const body = Buffer.from('{"id":1}');
    await callUpstream(
      {
        method: 'PUT',
        url: upstream.url('/forward?x=1'),
        body,
        headers: {
          Connection: 'X-Conn-Scoped',
          'X-Conn-Scoped': 'secret for this hop',
          'Keep-Alive': 'timeout=1',
          TE: 'trailers',
          Trailer: 'X-Checksum',
          'Transfer-Encoding': 'chunked',
          Upgrade: 'websocket',
          'Proxy-Authorization': 'Basic c2VjcmV0',
          'Proxy-Connection': 'keep-alive',
          Host: 'gateway.example.com',
          'Content-Length': '999',
          'X-Multi': ['a', 'b'],
          'Content-Type': 'application/json',
          'X-Absent': undefined,
        },
      },
      { timeoutMs: 5_000 },
    );
    const [received] = upstream.received('/forward');
    expect(received?.method).toBe('PUT');
    expect(received?.url).toBe('/forward?x=1');
    expect(received?.body?.equals(body)).toBe(true);
    const headers = received?.headers ?? {};
    for (const name of [
      'x-conn-scoped',
      'keep-alive',
      'te',
      'trailer',
      'transfer-encoding',
      'upgrade',
      'proxy-authorization',
      'proxy-connection',
      'x-absent',
    ]) {
      expect(headers, name).not.toHaveProperty(name);
    }
    // The only Connection header is the client's own, for its own hop.
    expect(headers.connection).toEqual(['keep-alive']);
    expect(headers.host).toEqual([`127.0.0.1:${upstream.port}`]);
    expect(headers['content-length']).toEqual([String(body.length)]);
    expect(headers['x-multi']).toEqual(['a', 'b']);
    expect(headers['content-type']).toEqual(['application/json']);
  });

  it('WHEN the upstream is slow to answer but within the deadline THEN timings show the wait before headers and the total', async () => {
    upstream.script('/slow', { kind: 'respond', delayMs: 150, body: 'late' });
    const response = await callUpstream({ method: 'GET', url: upstream.url('/slow') }, { timeoutMs: 5_000 });
    expect(response.status).toBe(200);
    expect(response.timings.headersMs).toBeGreaterThanOrEqual(140);
    expect(response.timings.totalMs).toBeGreaterThanOrEqual(response.timings.headersMs);
  });

  it('WHEN the upstream answers 503 THEN the call resolves with it: a status is an answer, not an error', async () => {
    upstream.script('/unavailable', { kind: 'respond', status: 503, body: 'busy' });
    const response = await callUpstream({ method: 'GET', url: upstream.url('/unavailable') }, { timeoutMs: 5_000 });
    expect(response.status).toBe(503);
    expect(response.body.toString()).toBe('busy');
  });
});

describe('GIVEN an upstream that does not answer in time', () => {
  let silent: TcpServer;
  const silentSockets = new Set<Socket>();
  beforeAll(async () => {
    // Accepts TCP connections and never speaks: a TLS handshake against it never completes.
    silent = createTcpServer((socket) => {
      silentSockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of silentSockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('WHEN the connection cannot be set up (TLS handshake stalls) THEN upstream_timeout in the connect phase, nothing received', async () => {
    const address = silent.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const error = await failure({ method: 'GET', url: `https://127.0.0.1:${address.port}/` });
    expect(error).toMatchObject({ code: 'upstream_timeout', phase: 'connect', partial: false, statusCode: 504 });
    expect(error.elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(error.elapsedMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  });

  it('WHEN the upstream never sends headers THEN upstream_timeout in the headers phase, nothing received', async () => {
    upstream.script('/hang', { kind: 'hang' });
    const error = await failure({ method: 'GET', url: upstream.url('/hang') });
    expect(error).toMatchObject({ code: 'upstream_timeout', phase: 'headers', partial: false });
    expect(error.elapsedMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  });

  it('WHEN the latency before headers exceeds the deadline THEN upstream_timeout, nothing received', async () => {
    upstream.script('/latency', { kind: 'respond', delayMs: 10_000, body: 'too late' });
    const error = await failure({ method: 'GET', url: upstream.url('/latency') });
    expect(error).toMatchObject({ code: 'upstream_timeout', phase: 'headers', partial: false });
  });

  it('WHEN the body drips slower than the deadline THEN upstream_timeout in the body phase, marked partial', async () => {
    upstream.script('/drip', { kind: 'drip', chunks: 100, intervalMs: 100 });
    const error = await failure({ method: 'GET', url: upstream.url('/drip') });
    expect(error).toMatchObject({ code: 'upstream_timeout', phase: 'body', partial: true });
    expect(error.elapsedMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  });
});

describe('GIVEN an upstream that breaks the connection', () => {
  it('WHEN it resets before any response byte THEN upstream_reset, not partial', async () => {
    upstream.script('/reset-early', { kind: 'reset-before-headers' });
    const error = await failure({ method: 'GET', url: upstream.url('/reset-early') }, { timeoutMs: 5_000 });
    expect(error).toMatchObject({ code: 'upstream_reset', phase: 'headers', partial: false, statusCode: 502 });
  });

  it('WHEN it cuts the connection in the middle of the body THEN upstream_reset, marked partial', async () => {
    upstream.script('/reset-mid-body', { kind: 'reset-after-headers', declaredBytes: 10_000, sentBytes: 1_000 });
    const error = await failure({ method: 'GET', url: upstream.url('/reset-mid-body') }, { timeoutMs: 5_000 });
    expect(error).toMatchObject({ code: 'upstream_reset', phase: 'body', partial: true });
  });

  it('WHEN it cuts the connection inside the status line THEN upstream_reset, marked partial (bytes arrived, headers did not)', async () => {
    upstream.script('/cut-status', { kind: 'raw', data: 'HTTP/1.1 20' });
    const error = await failure({ method: 'GET', url: upstream.url('/cut-status') }, { timeoutMs: 5_000 });
    expect(error).toMatchObject({ code: 'upstream_reset', phase: 'headers', partial: true });
  });

  it('WHEN it answers with bytes that are not HTTP THEN upstream_bad_response, marked partial', async () => {
    upstream.script('/garbage', { kind: 'raw', data: 'garbage\r\n\r\n' });
    const error = await failure({ method: 'GET', url: upstream.url('/garbage') }, { timeoutMs: 5_000 });
    expect(error).toMatchObject({ code: 'upstream_bad_response', partial: true });
  });

  it('WHEN a call failed mid-body THEN the next call to the same upstream still succeeds on a fresh connection', async () => {
    upstream.script(
      '/after-failure',
      { kind: 'reset-after-headers', declaredBytes: 100, sentBytes: 10 },
      { kind: 'respond', body: 'fine' },
    );
    await failure({ method: 'GET', url: upstream.url('/after-failure') }, { timeoutMs: 5_000 });
    const response = await callUpstream({ method: 'GET', url: upstream.url('/after-failure') }, { timeoutMs: 5_000 });
    expect(response.body.toString()).toBe('fine');
    const [first, second] = upstream.received('/after-failure');
    expect(second?.connection).not.toBe(first?.connection);
  });
});

describe('GIVEN an upstream that cannot be reached', () => {
  it('WHEN nothing listens on the port THEN upstream_connect_failed, not partial, 502', async () => {
    const port = await freePort();
    const error = await failure({ method: 'GET', url: `http://127.0.0.1:${port}/` }, { timeoutMs: 5_000 });
    expect(error).toMatchObject({ code: 'upstream_connect_failed', phase: 'connect', partial: false, statusCode: 502 });
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('WHEN the host name does not resolve THEN upstream_connect_failed', async () => {
    const error = await failure({ method: 'GET', url: 'http://upstream.gatehouse-test.invalid/' }, { timeoutMs: 10_000 });
    expect(error).toMatchObject({ code: 'upstream_connect_failed', phase: 'connect', partial: false });
  });

  it('WHEN the TLS handshake fails (https to a plain HTTP port) THEN upstream_connect_failed: nothing was sent', async () => {
    const error = await failure({ method: 'GET', url: upstream.url('/tls').replace('http:', 'https:') }, { timeoutMs: 5_000 });
    expect(error).toMatchObject({ code: 'upstream_connect_failed', phase: 'connect', partial: false });
    expect(upstream.hits('/tls')).toBe(0);
  });
});

describe('GIVEN a response size cap', () => {
  it('THEN the default cap is Lambda’s 6 MB payload limit', () => {
    expect(LAMBDA_PAYLOAD_LIMIT_BYTES).toBe(6 * 1024 * 1024);
  });

  it('WHEN the declared Content-Length exceeds the cap THEN upstream_too_large before the body is read', async () => {
    upstream.script('/declared-big', { kind: 'respond', body: Buffer.alloc(64 * 1024) });
    const error = await failure({ method: 'GET', url: upstream.url('/declared-big') }, { timeoutMs: 5_000, maxResponseBytes: 1024 });
    expect(error).toMatchObject({ code: 'upstream_too_large', phase: 'body', partial: true, statusCode: 502 });
  });

  it('WHEN a chunked body grows past the cap THEN upstream_too_large', async () => {
    upstream.script('/chunked-big', { kind: 'respond', chunked: true, body: Buffer.alloc(4096, 1) });
    const error = await failure({ method: 'GET', url: upstream.url('/chunked-big') }, { timeoutMs: 5_000, maxResponseBytes: 1024 });
    expect(error).toMatchObject({ code: 'upstream_too_large', partial: true });
  });

  it('WHEN the body is exactly the cap THEN it is returned whole', async () => {
    upstream.script('/exact', { kind: 'respond', chunked: true, body: Buffer.alloc(1024, 2) });
    const response = await callUpstream({ method: 'GET', url: upstream.url('/exact') }, { timeoutMs: 5_000, maxResponseBytes: 1024 });
    expect(response.body.length).toBe(1024);
  });

  it('WHEN a body is one byte over the default cap THEN upstream_too_large', async () => {
    upstream.script('/over-default', { kind: 'respond', chunked: true, body: Buffer.alloc(LAMBDA_PAYLOAD_LIMIT_BYTES + 1, 3) });
    const error = await failure({ method: 'GET', url: upstream.url('/over-default') }, { timeoutMs: 10_000 });
    expect(error.code).toBe('upstream_too_large');
  });
});

describe('GIVEN a misused client', () => {
  it('WHEN the URL is not http or https THEN a TypeError, and nothing is sent', async () => {
    await expect(callUpstream({ method: 'GET', url: 'ftp://127.0.0.1/' }, { timeoutMs: 1_000 })).rejects.toThrow(TypeError);
  });

  it('WHEN a header value carries CR/LF (header injection) THEN a TypeError, and nothing reaches the upstream', async () => {
    const request = { method: 'GET', url: upstream.url('/crlf'), headers: { 'x-user': 'alice\r\nx-admin: true' } };
    await expect(callUpstream(request, { timeoutMs: 1_000 })).rejects.toThrow(TypeError);
    expect(upstream.hits('/crlf')).toBe(0);
  });

  it('WHEN the timeout is not positive THEN a TypeError naming timeoutMs', async () => {
    await expect(callUpstream({ method: 'GET', url: upstream.url('/') }, { timeoutMs: 0 })).rejects.toThrow(/timeoutMs/);
  });
});

describe('GIVEN headers to filter (dropHopByHopHeaders)', () => {
  it('THEN names are lower-cased, values become lists, and headers differing only in case are merged', () => {
    expect(dropHopByHopHeaders({ 'X-A': '1', 'x-a': ['2', '3'], Connection: 'close', 'Proxy-Foo': 'p' })).toEqual({
      'x-a': ['1', '2', '3'],
    });
  });
});
