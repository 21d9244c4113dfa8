// `gatehouse init`: a commented starter gatehouse.yaml that validates as written; flags choose the flavor and a JWT issuer.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { EXIT_FAILED, EXIT_OK, type CliIo } from './io';
import { JSON_SCHEMA_FILE } from '../config/json-schema-file';

export interface InitOptions {
  readonly flavor: 'rest' | 'http';
  readonly issuer?: string;
  readonly audience?: string;
  readonly force: boolean;
}

export function runInit(file: string, options: InitOptions, io: CliIo): number {
  const target = resolve(io.cwd, file);
  if (existsSync(target) && !options.force) {
    io.stderr(`gatehouse init: ${file} already exists; pass --force to overwrite it\n`);
    return EXIT_FAILED;
  }
  try {
    writeFileSync(target, starterConfig(options, schemaReference(target)));
  } catch (err) {
    io.stderr(`gatehouse init: cannot write ${file}: ${(err as Error).message}\n`);
    return EXIT_FAILED;
  }
  io.stderr(
    `wrote ${file} (${options.flavor === 'http' ? 'HTTP API' : 'REST API'}${options.issuer ? `, JWTs from ${options.issuer}` : ''}); next: gatehouse validate ${file}, then npx cdk synth\n`,
  );
  return EXIT_OK;
}

/** The schema's path relative to the new file, so the editor finds it in node_modules (or in this repo). */
function schemaReference(target: string): string {
  const path = relative(dirname(target), JSON_SCHEMA_FILE).split('\\').join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

export function starterConfig(options: Omit<InitOptions, 'force'>, schemaPath: string): string {
  const rest = options.flavor === 'rest';
  const auth = options.issuer
    ? [
        '    # Who may call: JWTs from this issuer (its OIDC discovery document gives the keys).',
        '    auth:',
        '      jwt:',
        '        issuers:',
        `          - issuer: ${JSON.stringify(options.issuer)}`,
        `            audience: [${JSON.stringify(options.audience ?? 'api')}]`,
      ]
    : [];
  return [
    `# yaml-language-server: $schema=${schemaPath}`,
    '# Gatehouse config: this file becomes an API gateway on AWS through CDK.',
    '#   gatehouse validate   every problem at once, with file:line:col',
    '#   gatehouse explain    what will be built for each route, and why',
    '#   npx cdk synth        the CloudFormation to review; cdk deploy to ship it',
    '# Field reference: README.md, "Config reference" (your editor completes fields from the schema above).',
    '',
    '# The services the gateway forwards to, by name.',
    'services:',
    '  users:',
    '    # Base URL of the service; a path in it is kept as a prefix.',
    '    url: https://users.example.com',
    '    # Each attempt gives up after this long (API Gateway allows 29 s in all).',
    '    timeoutMs: 5000',
    '',
    'gateways:',
    '  # One API per entry; its name appears in resource names.',
    '  api:',
    rest
      ? '    # rest: API Gateway REST API (usage plans, API keys, WAF, request validation). http: HTTP API (cheaper, fewer features).'
      : '    # http: API Gateway HTTP API (cheaper, faster). rest: REST API (usage plans, API keys, WAF on the stage).',
    `    flavor: ${options.flavor}`,
    '    stage:',
    '      # Requests per second for the whole stage, and the burst above it.',
    '      throttle: { rate: 100, burst: 200 }',
    ...auth,
    '    routes:',
    '      - name: users',
    '        service: users',
    '        # A path is a prefix: /api/users also matches /api/users/42.',
    '        paths: [/api/users]',
    '        methods: [GET, POST]',
    '        # Forward /api/users/42 upstream as /42.',
    '        stripPath: true',
    ...(options.issuer ? ['        # Any valid token; { jwt: { scopes: [users:read] } } asks for scopes.', '        auth: jwt'] : []),
    '',
  ].join('\n');
}
