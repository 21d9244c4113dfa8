// startLocal: synthesize a config, then serve each of its gateways on 127.0.0.1 as API Gateway would, from what ships.
import type { JsonObject } from './definition';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { loadConfig, validateConfig } from '../config/load';
import type { GatehouseSpec } from '../config/schema';
import type { GatehouseSpecInput } from '../config/schema';
import { accessLogLine } from './access-log';
import { packageRoot, synthesizeAssembly, type LocalAssembly } from './assembly';
import { banner } from './banner';
import { startEchoUpstream, type EchoUpstream } from './echo-upstream';
import { FunctionRunner, unrunnableReason } from './functions';
import { HttpGateway } from './http-gateway';
import { startLocalState } from './local-state';
import { readRequest, writeResponse } from './request';
import { RequestValidation } from './request-validation';
import { RestGateway } from './rest-gateway';
import { upstreamOverrides } from './upstreams';
import type { LocalApiKey } from './api-keys';

export interface StartLocalOptions {
  /** The config file (YAML/JSON); or give `config`. */
  readonly file?: string;
  /** The config as an object (what a TS config exports). */
  readonly config?: GatehouseSpecInput | GatehouseSpec | Readonly<Record<string, unknown>>;
  /** Port of the first gateway; the next gateways take the following ports. 0: any free port each. @default 8080 */
  readonly port?: number;
  /** Service (or `service.target`) → URL that replaces the service's baked URL. */
  readonly upstreams?: Readonly<Record<string, string>>;
  /** Serve every service without an override from the built-in echo upstream. @default false */
  readonly echo?: boolean;
  /** `off` never starts moto_server. @default 'auto' */
  readonly state?: 'auto' | 'off';
  /** Where the banner, access-log lines and handler logs go. @default process.stderr */
  readonly log?: (text: string) => void;
  /** Keep handler log lines out of `log` (tests). @default false */
  readonly quietHandlers?: boolean;
}

export interface LocalGatewayInfo {
  readonly name: string;
  readonly flavor: 'rest' | 'http';
  readonly url: string;
  readonly keys: readonly LocalApiKey[];
}

export interface RunningLocal {
  /** The base URL of a gateway (REST: with its stage path, as the deployed invoke URL). Throws for an unknown name. */
  url(gateway: string): string;
  readonly gateways: readonly LocalGatewayInfo[];
  readonly assembly: LocalAssembly;
  /** The banner as printed. */
  readonly banner: string;
  /** The echo upstream's URL when `echo` is on. */
  readonly echoUrl?: string;
  close(): Promise<void>;
}

export async function startLocal(options: StartLocalOptions): Promise<RunningLocal> {
  const started = Date.now();
  const log = options.log ?? ((text: string) => void process.stderr.write(text));
  const spec = options.config !== undefined ? validateConfig(options.config) : loadConfig(options.file ?? 'gatehouse.yaml');
  // A misspelt service is reported before the slow part (synthesis).
  const unknown = upstreamOverrides(spec, options.upstreams ?? {}).unknown;
  if (unknown.length)
    throw new TypeError(
      `--upstream names no service of the config: ${unknown.join(', ')} (services and SERVICE.TARGET names are from services:)`,
    );
  const assembly = synthesizeAssembly(spec);
  const echo: EchoUpstream | undefined = options.echo ? await startEchoUpstream() : undefined;
  const overrides = upstreamOverrides(spec, options.upstreams ?? {}, echo?.url);
  const state = await startLocalState(assembly.tables, assembly.secrets, options.state ?? 'auto');
  const runner = new FunctionRunner({
    resolveFrom: join(packageRoot(), 'package.json'),
    baseEnv: state.env,
    rewrite: (code) => overrides.rewriteBundle(code),
    log: options.quietHandlers ? () => undefined : log,
  });
  const deps = { runner, functions: assembly.functions, rewriteUrl: overrides.rewriteUrl, validation: new RequestValidation() };
  const servers: Server[] = [];
  const infos: (LocalGatewayInfo & { definition: JsonObject; notEmulated: readonly string[] })[] = [];
  const unrunnable = new Set<string>();
  try {
    let nextPort = options.port ?? 8080;
    for (const g of assembly.gateways) {
      const gateway = g.flavor === 'rest' ? new RestGateway(g, deps) : new HttpGateway(g, deps);
      for (const fn of gateway.functionsUsed()) {
        const reason = unrunnableReason(fn);
        if (reason) unrunnable.add(`function ${fn.name}: ${reason} (its routes answer 5xx)`);
        else await runner.start(fn);
      }
      const stagePrefix = g.flavor === 'rest' || g.stageName !== '$default' ? `/${g.stageName}` : '';
      const server = createServer((req, res) => {
        void (async () => {
          const read = await readRequest(req, stagePrefix);
          const host = req.headers.host ?? '127.0.0.1';
          if ('wrongStage' in read) {
            // A path outside the stage reaches no deployment: API Gateway answers 403 Forbidden (REST) or 404 (HTTP).
            const status = g.flavor === 'rest' ? 403 : 404;
            writeResponse(res, {
              status,
              headers: { 'Content-Type': 'application/json' },
              body: Buffer.from(JSON.stringify({ message: status === 403 ? 'Forbidden' : 'Not Found' })),
            });
            return;
          }
          const served = await gateway.serve(read, host).catch((err: Error) => ({
            response: {
              status: 500,
              headers: { 'Content-Type': 'application/json' },
              body: Buffer.from(JSON.stringify({ message: 'Internal server error' })),
            },
            log: { requestId: read.requestId, 'error.message': `gatehouse local: ${err.message}` },
          }));
          writeResponse(res, served.response);
          log(
            accessLogLine(g.flavor, {
              ...served.log,
              status: served.response.status,
              responseLength: served.response.body.length,
              responseLatency: Date.now() - read.startedAt,
            }) + '\n',
          );
        })().catch(() => res.destroy());
      });
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(nextPort, '127.0.0.1', resolve));
      servers.push(server);
      const port = (server.address() as { port: number }).port;
      if (nextPort !== 0) nextPort = port + 1;
      const keys = gateway instanceof RestGateway ? gateway.usagePlans.keys : [];
      infos.push({
        name: g.name,
        flavor: g.flavor,
        url: `http://127.0.0.1:${port}${stagePrefix}`,
        keys,
        definition: g.definition,
        notEmulated: g.notEmulated,
      });
    }
  } catch (err) {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await runner.close();
    await state.close();
    await echo?.close();
    throw err;
  }
  const text = banner({
    gateways: infos,
    assembly,
    state: state.description,
    upstreams: overrides.applied,
    unrunnable: [...unrunnable],
    startupMs: Date.now() - started,
  });
  log(text);
  return {
    url(name) {
      const info = infos.find((i) => i.name === name);
      if (!info) throw new TypeError(`no gateway "${name}"; this config has ${infos.map((i) => i.name).join(', ')}`);
      return info.url;
    },
    gateways: infos.map(({ name, flavor, url, keys }) => ({ name, flavor, url, keys })),
    assembly,
    banner: text,
    echoUrl: echo?.url,
    async close() {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise((r) => {
              s.closeAllConnections();
              s.close(r);
            }),
        ),
      );
      await runner.close();
      await state.close();
      await echo?.close();
      // The assembly was synthesized for this run only; the banner named it for inspection while serving.
      rmSync(assembly.outdir, { recursive: true, force: true });
    },
  };
}
