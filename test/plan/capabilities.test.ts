import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPABILITIES, renderCapabilityTable } from '../../lib/plan/capabilities';

describe('capability matrix', () => {
  it('is what the README shows (run npm run docs:capabilities after changing lib/plan/capabilities.ts)', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    expect(readme).toContain(renderCapabilityTable());
  });

  it('names the choices for every feature an HTTP API does not get', () => {
    for (const c of CAPABILITIES.filter((c) => c.http === 'rejected')) expect(c.httpDetail, c.id).toMatch(/flavor: rest/);
  });

  it('has unique ids', () => {
    expect(new Set(CAPABILITIES.map((c) => c.id)).size).toBe(CAPABILITIES.length);
  });
});
