// The documented spec interfaces match the schema: spec-types.check.ts compiles, and a drifted interface does not.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');

const checkFile = join(__dirname, 'spec-types.check.ts');
/** A deliberately drifted interface, to show the check can fail and names what is missing. */
const driftFile = join(mkdtempSync(join(tmpdir(), 'gatehouse-spec-types-')), 'drift.ts');
const slash = (path: string) => path.replace(/\\/g, '/');

/** Type errors per file, from one compilation with the repository's compiler options (compiling is the slow part). */
function typeErrors(files: string[]): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  const program = ts.createProgram(files, { ...config!.options, noEmit: true });
  const byFile = new Map<string, string[]>(files.map((f) => [slash(f), []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const list = byFile.get(d.file ? slash(d.file.fileName) : '') ?? byFile.get(slash(files[0]!))!;
    list.push(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }
  return byFile;
}

describe('spec interfaces (lib/config/types) against the zod schema', () => {
  let errors: Map<string, string[]>;
  beforeAll(() => {
    const lib = slash(join(root, 'lib/config'));
    writeFileSync(
      driftFile,
      [
        `import type { z } from '${slash(join(root, 'node_modules/zod'))}';`,
        `import type { serviceSchema } from '${lib}/service-schema';`,
        `import type { ServiceSpec } from '${lib}/types';`,
        `type Drifted = Omit<ServiceSpec, 'lastGood'>;`,
        `const sameFields = <Missing extends never>(): Missing[] => [];`,
        `sameFields<Exclude<keyof NonNullable<z.input<typeof serviceSchema>>, keyof Drifted>>();`,
      ].join('\n'),
    );
    errors = typeErrors([checkFile, driftFile]);
  });

  it('GIVEN the interfaces WHEN checked against every schema section THEN they agree field for field and type for type', () => {
    expect(errors.get(slash(checkFile))).toEqual([]);
  });

  it('GIVEN an interface missing a schema field WHEN checked THEN the error names the field', () => {
    expect(errors.get(slash(driftFile))!.join('\n')).toMatch(/Type '"lastGood"' does not satisfy the constraint 'never'/);
  });
});
