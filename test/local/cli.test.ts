// `gatehouse local` on the command line: usage errors, config errors at file:line, and a run on the shipped config.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/main';
import type { CliIo } from '../../lib/cli/io';
import { runLocal } from '../../lib/cli/local';
import { startEchoUpstream, type EchoUpstream } from '../../lib/local/echo-upstream';

function captured(cwd = process.cwd()): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, cwd, isTTY: false };
}

describe('gatehouse local usage', () => {
  it('GIVEN --help THEN it prints the local usage and exits 0', async () => {
    const io = captured();
    expect(await runCli(['local', '--help'], io)).toBe(0);
    expect(io.out.join('')).toContain('Usage: gatehouse local');
  });

  it('GIVEN a bad --port THEN exit 2 naming the flag', async () => {
    const io = captured();
    expect(await runCli(['local', '--port', 'http'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/--port is a port number/);
  });

  it('GIVEN an --upstream without SERVICE=URL THEN exit 2 with an example', async () => {
    const io = captured();
    expect(await runCli(['local', '--upstream', 'user-service'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/--upstream takes <service>=<http\(s\) URL>, e\.g\. user-service=http:\/\/127\.0\.0\.1:3001/);
  });

  it('GIVEN an --upstream for a service the config lacks THEN exit 1 naming it, before synthesis', async () => {
    const io = captured();
    expect(await runCli(['local', '--upstream', 'users=http://127.0.0.1:3001'], io)).toBe(1);
    expect(io.err.join('')).toMatch(/names no service of the config: users/);
  });

  it('GIVEN an invalid config THEN exit 1 with the problem at file:line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-local-cli-'));
    writeFileSync(
      join(dir, 'bad.yaml'),
      'services:\n  a: { url: https://a.example.com }\ngateways:\n  api:\n    routes:\n      - { service: nope, paths: [/x] }\n',
    );
    const io = captured(dir);
    expect(await runCli(['local', 'bad.yaml'], io)).toBe(1);
    expect(io.err.join('')).toMatch(/bad\.yaml:6:\d+ gateways\.api\.routes\[0\]\.service/);
  });
});

describe('gatehouse local on the shipped gatehouse.yaml', () => {
  let echo: EchoUpstream;
  beforeAll(async () => {
    echo = await startEchoUpstream();
  });
  afterAll(async () => echo?.close());

  it('GIVEN --upstream overrides THEN it prints each gateway URL, serves until stopped, and exits 0', async () => {
    const io = captured();
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const running = runLocal(
      'gatehouse.yaml',
      { port: '0', upstream: [`user-service=${echo.url}`, `order-service=${echo.url}`], noState: true },
      io,
      until,
    );
    // Bounded: the URL appears once synthesis is done, or the run ends with an error.
    let url: string | undefined;
    for (let i = 0; i < 600 && !url; i += 1) {
      url = /^public (http:\/\/127\.0\.0\.1:\d+\/prod)$/m.exec(io.out.join(''))?.[1];
      if (!url) await Promise.race([new Promise((r) => setTimeout(r, 500)), running]);
    }
    expect(url, io.err.join('')).toBeDefined();
    const key = /x-api-key: (\S+)/.exec(io.err.join(''))![1]!;
    const res = await fetch(`${url}/api/orders`, { headers: { 'x-api-key': key } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { path: string }).path).toBe('/api/orders');
    stop();
    expect(await running).toBe(0);
  }, 300_000);
});
