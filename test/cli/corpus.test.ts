// The corpus of configs a new user writes: every broken one fails with a clear message at file:line:col, exit 1 and no
// trace; every one `validate` accepts synthesizes (validate = synth).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config/load';
import { synthSpec } from '../support/synth';
import { cli, STACK_TRACE } from './support/run-cli';
import { scaled } from '../support/time-factor';

const broken = join(__dirname, '../fixtures/broken-configs');
const valid = join(__dirname, '../fixtures/valid-configs');
const files = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Each fixture's first line: `# expect: <regular expression the problem's message must match>`. */
function expectedMessage(file: string): RegExp {
  const first = readFileSync(file).toString('latin1').split('\n')[0] ?? '';
  const m = /^# expect: (.+)$/.exec(first);
  if (!m) throw new Error(`${file}: the first line must be "# expect: <regex>"`);
  return new RegExp(m[1]!);
}

describe('broken configs', () => {
  it('the corpus holds at least 40 of them', () => {
    expect(files(broken).length).toBeGreaterThanOrEqual(40);
  });

  it.each(files(broken).map((f) => [f.slice(broken.length + 1), f]))(
    '%s: a clear message at file:line:col, exit 1, no trace',
    async (_, file) => {
      const r = await cli(['validate', file]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^Invalid Gatehouse config \(\d+ problems?\):\n/);
      expect(r.stderr).toMatch(new RegExp(`^  ${escape(file)}:\\d+:\\d+ .+?: `, 'm'));
      expect(r.stderr).toMatch(expectedMessage(file));
      expect(r.stderr).not.toMatch(STACK_TRACE);
      expect(r.stderr).not.toMatch(/ReferenceError|TypeError|ERR_|\[object Object\]|undefined:/);
      // --json says the same, for CI.
      const json = JSON.parse((await cli(['validate', '--json', file])).stdout) as { valid: boolean; problems: { line?: number }[] };
      expect(json.valid).toBe(false);
      expect(json.problems.every((p) => typeof p.line === 'number')).toBe(true);
    },
  );
});

describe('configs validate accepts', () => {
  const all = [...files(valid), ...files(broken)];

  it('are exactly the valid fixtures', async () => {
    const accepted: string[] = [];
    for (const file of all) if ((await cli(['validate', '-q', file])).code === 0) accepted.push(file);
    expect(accepted).toEqual(files(valid));
  });

  it.each(files(valid).map((f) => [f.slice(valid.length + 1), f]))(
    '%s synthesizes',
    (_, file) => {
      const { templates } = synthSpec(loadConfig(file));
      expect(Object.keys(templates).length).toBeGreaterThan(0);
    },
    scaled(120_000),
  );
});
