// The JSON Schema shipped for editors: generated from the zod schema (fails when stale), and it agrees with the loader.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderJsonSchema } from '../../bin/json-schema';
import { JSON_SCHEMA_FILE } from '../../lib/config/json-schema-file';

const root = join(__dirname, '../..');
const shipped = readFileSync(JSON_SCHEMA_FILE, 'utf8');
const schema = JSON.parse(shipped) as Record<string, unknown>;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
const yamlOf = (file: string) => parseDocument(readFileSync(file, 'utf8'), { merge: true }).toJS({ maxAliasCount: 10_000 });
const configs = [
  join(root, 'gatehouse.yaml'),
  ...readdirSync(join(root, 'examples'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(root, 'examples', f)),
];

describe('lib/config/gatehouse.schema.json', () => {
  it('is what bin/json-schema.ts generates from the zod schema now (run `npx tsx bin/json-schema.ts` after changing the schema)', () => {
    expect(shipped).toBe(renderJsonSchema());
  });

  it("carries descriptions from the schema's doc comments and defaults from its .default()s", () => {
    const gateway = (
      schema.properties as Record<
        string,
        { additionalProperties: { properties: Record<string, { description?: string; default?: unknown }> } }
      >
    ).gateways!.additionalProperties.properties;
    expect(gateway.flavor).toMatchObject({ default: 'rest', description: expect.stringMatching(/REST API/) });
    expect(gateway.auth?.description).toMatch(/Token issuers the gateway trusts/);
  });

  it.each(configs.map((f) => [f.slice(root.length + 1), f]))('accepts %s, and it names the schema on its first line', (_, file) => {
    expect(readFileSync(file, 'utf8').split('\n')[0]).toMatch(
      /^# yaml-language-server: \$schema=(\.\.\/|\.\/)lib\/config\/gatehouse\.schema\.json$/,
    );
    expect(validate(yamlOf(file)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('accepts x- extension keys and refuses unknown fields, as the loader does', () => {
    const base = {
      services: { users: { url: 'https://u.example.com' } },
      gateways: { public: { routes: [{ service: 'users', paths: ['/a'] }] } },
    };
    expect(validate({ ...base, 'x-anchors': { a: 1 } })).toBe(true);
    expect(validate({ ...base, services: { users: { url: 'https://u.example.com', timout: 5 } } })).toBe(false);
    expect(validate({ ...base, version: 2 })).toBe(false);
  });

  it("names no field the README's reference leaves out (add a row when adding a field)", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    // Every identifier inside a `code span` (spans do not cross lines) or a fenced example of the README counts as documented.
    const fenced = readme
      .split(/^```.*$/m)
      .filter((_, i) => i % 2 === 1)
      .join('\n');
    const spans = readme.split('\n').flatMap((line) => [...line.replace(/```/g, '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
    const documented = new Set([fenced, ...spans].flatMap((text) => text.split(/[^A-Za-z0-9_-]+/)));
    const missing: string[] = [];
    const walk = (node: unknown, path: string[]): void => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, unknown>;
      for (const [name, child] of Object.entries((n.properties as Record<string, unknown>) ?? {})) {
        if (!documented.has(name)) missing.push([...path, name].join('.'));
        walk(child, [...path, name]);
      }
      if (typeof n.additionalProperties === 'object') walk(n.additionalProperties, [...path, '<name>']);
      if (typeof n.items === 'object') walk(n.items, [...path, '[]']);
      for (const key of ['anyOf', 'oneOf', 'allOf']) for (const option of (n[key] as unknown[]) ?? []) walk(option, path);
    };
    walk(schema, []);
    expect(missing).toEqual([]);
  });
});
