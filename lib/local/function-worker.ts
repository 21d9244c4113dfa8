// The code a worker thread runs for one Lambda function: load its bundle once (init), then answer invocations.

/**
 * CommonJS source for `new Worker(..., { eval: true })`, so it runs the same from TypeScript sources, tests
 * and dist/. The bundle is compiled with vm.compileFunction and a `require` that resolves the bundle's own
 * files first, then the packages left external at bundling (`@aws-sdk/*`) from Gatehouse's node_modules,
 * as the Lambda runtime provides them.
 */
export const FUNCTION_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const { readFileSync } = require('node:fs');
const { dirname } = require('node:path');
const vm = require('node:vm');
const own = createRequire(workerData.file);
const fallback = createRequire(workerData.resolveFrom);
const requireFor = (id) => { try { return own(id); } catch (err) { if (err && err.code === 'MODULE_NOT_FOUND') return fallback(id); throw err; } };
const mod = { exports: {} };
const code = readFileSync(workerData.file, 'utf8');
const init = vm.compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: workerData.file });
init.call(mod.exports, mod.exports, requireFor, mod, workerData.file, dirname(workerData.file));
const handler = mod.exports[workerData.exportName];
if (typeof handler !== 'function') throw new Error('the bundle exports no function "' + workerData.exportName + '"');
parentPort.on('message', async ({ id, event, context }) => {
  const deadline = Date.now() + context.timeoutMs;
  const ctx = { ...context, callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
  delete ctx.timeoutMs;
  try {
    const result = await handler(event, ctx);
    parentPort.postMessage({ id, result: result === undefined ? null : JSON.parse(JSON.stringify(result)) });
  } catch (err) {
    parentPort.postMessage({ id, error: { errorType: (err && err.name) || 'Error', errorMessage: String((err && err.message) || err) } });
  }
});
parentPort.postMessage({ ready: true });
`;
