// Files a spec names (validate.body schemas, jwksFile keys): found next to the config file, and made absolute once loaded.
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { GatehouseSpec } from './schema';

/**
 * Where a `jwksFile` is: relative to the config file's directory, like `validate.body`. Configs written when
 * it was relative to the working directory still work: that is tried when the config's directory has no such file.
 */
export function jwksFilePath(file: string, baseDir: string): string {
  if (isAbsolute(file)) return file;
  const besideConfig = resolve(baseDir, file);
  if (existsSync(besideConfig)) return besideConfig;
  const fromWorkingDir = resolve(file);
  return existsSync(fromWorkingDir) ? fromWorkingDir : besideConfig;
}

/** The spec with every file path absolute, so later steps (plan, bundling) do not depend on where the config was loaded from. */
export function resolveSpecFiles(spec: GatehouseSpec, baseDir: string): GatehouseSpec {
  const gateways = Object.fromEntries(
    Object.entries(spec.gateways).map(([name, gateway]) => {
      const jwt = gateway.auth?.jwt;
      return [
        name,
        {
          ...gateway,
          auth: jwt && {
            ...gateway.auth,
            jwt: { ...jwt, issuers: jwt.issuers.map((i) => (i.jwksFile ? { ...i, jwksFile: jwksFilePath(i.jwksFile, baseDir) } : i)) },
          },
          routes: gateway.routes.map((route) => {
            const body = route.validate?.body;
            if (!route.validate || !body || isAbsolute(body)) return route;
            return { ...route, validate: { ...route.validate, body: resolve(baseDir, body) } };
          }),
        },
      ];
    }),
  );
  return { ...spec, gateways };
}
