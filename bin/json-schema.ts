#!/usr/bin/env node
// Writes lib/config/gatehouse.schema.json from the zod schema, with each field's description taken from its doc comment
// in lib/config/*.ts (one source for the loader, the docs and the editor). Run: npx tsx bin/json-schema.ts
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { fieldSetKey, gatehouseJsonSchema, type FieldDocs } from '../lib/config/json-schema';
import { JSON_SCHEMA_FILE } from '../lib/config/json-schema-file';

const SPEC_DIR = join(__dirname, '..', 'lib', 'config');

/** Doc comments of the fields of every object literal passed to z.object/z.strictObject in lib/config, keyed by field set. */
export function readFieldDocs(dir = SPEC_DIR): FieldDocs {
  const docs = new Map<string, Record<string, string>>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = ts.createSourceFile(file, readFileSync(join(dir, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        /\.(strictObject|object)$/.test(node.expression.getText(source)) &&
        node.arguments[0] &&
        ts.isObjectLiteralExpression(node.arguments[0])
      ) {
        const literal = node.arguments[0];
        const names: string[] = [];
        const described: Record<string, string> = {};
        for (const property of literal.properties) {
          if (!property.name) continue;
          const name = property.name.getText(source).replace(/^['"]|['"]$/g, '');
          names.push(name);
          const text = ts
            .getJSDocCommentsAndTags(property)
            .filter(ts.isJSDoc)
            .map((d) => ts.getTextOfJSDocComment(d.comment) ?? '')
            .join(' ');
          if (text) described[name] = text.replace(/\s+/g, ' ').trim();
        }
        if (Object.keys(described).length) docs.set(fieldSetKey(names), { ...docs.get(fieldSetKey(names)), ...described });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return docs;
}

export function renderJsonSchema(): string {
  return `${JSON.stringify(gatehouseJsonSchema(readFieldDocs()), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(JSON_SCHEMA_FILE, renderJsonSchema());
  process.stderr.write(`wrote ${JSON_SCHEMA_FILE}\n`);
}
