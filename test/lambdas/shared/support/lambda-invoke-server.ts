// A real HTTP server on 127.0.0.1 that speaks the Lambda Invoke REST API, so the real @aws-sdk/client-lambda can call scripted functions.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What one invocation of a function does. The wire format is the Invoke API's (Lambda API reference,
 * "Invoke"): `POST /2015-03-31/functions/{FunctionName}/invocations`, the payload as the body, a 200
 * with the result, `X-Amz-Function-Error` on a function error, and errors as REST-JSON
 * (`X-Amzn-ErrorType` header, JSON body) with their HTTP status.
 */
export type FunctionBehaviour =
  /** Runs `handler` on the event and answers its JSON result (200). */
  | { readonly kind: 'run'; readonly handler: (event: Record<string, unknown>) => unknown }
  /** The function failed: 200, `X-Amz-Function-Error: <type>`, the runtime's error document as the payload. */
  | { readonly kind: 'function-error'; readonly type?: 'Unhandled' | 'Handled'; readonly errorMessage?: string }
  /** 429 TooManyRequestsException, with `Retry-After` when given: the function did not run. */
  | { readonly kind: 'throttle'; readonly retryAfterSeconds?: number }
  /** Any other Invoke error: e.g. 404 ResourceNotFoundException, 500 ServiceException. */
  | { readonly kind: 'service-error'; readonly status: number; readonly type: string }
  /** Answers 200 with these payload bytes as they are (malformed results). */
  | { readonly kind: 'raw-payload'; readonly payload: string }
  /** Reads the request and never answers (a function slower than the caller's timeout). */
  | { readonly kind: 'hang' };

export interface Invocation {
  readonly functionName: string;
  readonly invocationType: string | undefined;
  /** The event as the function received it. */
  readonly event: Record<string, unknown>;
  /** The SigV4 Authorization header was present (the SDK signed the call). */
  readonly signed: boolean;
}

export interface LambdaInvokeServer {
  /** `http://127.0.0.1:<port>`, the value for `AWS_ENDPOINT_URL_LAMBDA`. */
  readonly endpoint: string;
  /** The next invocations of `functionName` get these behaviours in order; the last one repeats. Unscripted functions are not found (404). */
  script(functionName: string, ...behaviours: FunctionBehaviour[]): void;
  invocations(functionName: string): readonly Invocation[];
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export async function startLambdaInvokeServer(): Promise<LambdaInvokeServer> {
  const scripts = new Map<string, FunctionBehaviour[]>();
  const received = new Map<string, Invocation[]>();

  const answerError = (
    res: ServerResponse,
    status: number,
    type: string,
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type, 'x-amzn-requestid': 'fake-request', ...headers });
    res.end(JSON.stringify({ ...body, message: body.message ?? type }));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = INVOKE_PATH.exec(url.pathname);
    if (req.method !== 'POST' || match === null) return answerError(res, 404, 'UnknownOperationException', {});
    const functionName = decodeURIComponent(match[1]!);
    const queue = scripts.get(functionName);
    if (queue === undefined || queue.length === 0)
      return answerError(res, 404, 'ResourceNotFoundException', { Type: 'User', message: `Function not found: ${functionName}` });
    const behaviour = queue.length > 1 ? queue.shift()! : queue[0]!;
    const event = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') as Record<string, unknown>;
    const list = received.get(functionName) ?? [];
    list.push({
      functionName,
      invocationType: header(req, 'x-amz-invocation-type'),
      event,
      signed: header(req, 'authorization')?.startsWith('AWS4-HMAC-SHA256') ?? false,
    });
    received.set(functionName, list);

    const ok = (payload: string, headers: Record<string, string> = {}) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST', ...headers });
      res.end(payload);
    };
    switch (behaviour.kind) {
      case 'run':
        return ok(JSON.stringify((await behaviour.handler(event)) ?? null));
      case 'function-error':
        return ok(
          JSON.stringify({
            errorMessage: behaviour.errorMessage ?? 'boom',
            errorType: 'Error',
            stackTrace: ['at handler (/var/task/index.js:1:1)'],
          }),
          {
            'x-amz-function-error': behaviour.type ?? 'Unhandled',
          },
        );
      case 'throttle':
        return answerError(
          res,
          429,
          'TooManyRequestsException',
          { Type: 'User', message: 'Rate Exceeded.', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' },
          behaviour.retryAfterSeconds === undefined ? {} : { 'retry-after': String(behaviour.retryAfterSeconds) },
        );
      case 'service-error':
        return answerError(res, behaviour.status, behaviour.type, { Type: behaviour.status >= 500 ? 'Service' : 'User' });
      case 'raw-payload':
        return ok(behaviour.payload);
      case 'hang':
        return; // the client gives up; close() ends the socket
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => answerError(res, 500, 'ServiceException', { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    script: (functionName, ...behaviours) => void scripts.set(functionName, [...behaviours]),
    invocations: (functionName) => received.get(functionName) ?? [],
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Env the SDK needs to call the fake: its endpoint, a region and dummy credentials. Returns a restore function. */
export function useLambdaEndpoint(endpoint: string): () => void {
  const values: Record<string, string> = {
    AWS_ENDPOINT_URL_LAMBDA: endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDTESTONLY',
    AWS_SECRET_ACCESS_KEY: 'test-secret-not-real',
  };
  const previous = Object.fromEntries(
    [...Object.keys(values), 'AWS_SESSION_TOKEN', 'AWS_PROFILE'].map((name) => [name, process.env[name]]),
  );
  Object.assign(process.env, values);
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  return () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
