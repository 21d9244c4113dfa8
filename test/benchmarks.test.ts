// BENCHMARKS.md cannot go stale on what is deterministic: its recorded resource counts and bytes must be what the code produces now.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BENCHMARKS_FILE, sectionMarkers } from '../bench/support/benchmarks-section';
import { bundleAnalysisMarkdown } from '../bench/support/bundle-analysis';
import { lambdaRoutesMarkdown } from '../bench/support/lambda-route-counts';
import { vpcLinkMarkdown } from '../bench/support/vpc-link-counts';
import { allSynthCounts, deterministicMarkdown, synthRowCells, type GatehouseSynthCounts } from '../bench/support/deterministic-numbers';

/** The text between a generated section's markers. */
function section(name: string): string {
  const text = readFileSync(BENCHMARKS_FILE, 'utf8');
  const { begin, end } = sectionMarkers(name);
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`BENCHMARKS.md has no generated ${name} section`);
  return text.slice(start + begin.length, stop).trim();
}

/** A section without its provenance paragraph (commit, machine, load, duration), which changes with every run. */
function withoutProvenance(recorded: string): string {
  const blank = recorded.indexOf('\n\n');
  return blank < 0 ? '' : recorded.slice(blank).trim();
}

describe('BENCHMARKS.md', () => {
  let counts: GatehouseSynthCounts[];

  it('records the resource counts and bundle bytes the code produces now (else: npm run bench:write)', async () => {
    counts = allSynthCounts();
    const recorded = section('sizes');
    // The first line is the provenance (commit, machine, load), which changes with every run.
    const body = recorded.slice(recorded.indexOf('\n')).trim();
    expect(body, 'BENCHMARKS.md "Deterministic numbers" is stale: regenerate it with `npm run bench:write`').toBe(
      await deterministicMarkdown(counts),
    );
  });

  it('justifies every byte of the proxy and aggregator bundles as they are built now (else: npm run bench:write)', () => {
    const recorded = section('bundles');
    expect(
      recorded.slice(recorded.indexOf('\n')).trim(),
      'BENCHMARKS.md bundle analysis is stale: regenerate it with `npm run bench:write`',
    ).toBe(bundleAnalysisMarkdown());
  });

  it("records Gatehouse's counts in the synth section as the code produces them (else: npm run bench:synth -- --write)", () => {
    counts ??= allSynthCounts();
    const rows = section('synth')
      .split('\n')
      .filter((line) => /^\|\s*(rest|http)\s*\|\s*gatehouse\s*\|/.test(line))
      .map((line) =>
        line
          .split('|')
          .slice(1, 9)
          .map((cell) => cell.trim()),
      );
    expect(rows, 'BENCHMARKS.md synth section is stale: regenerate it with `npm run bench:synth -- --write`').toEqual(
      counts.map(synthRowCells),
    );
  });

  it('records the VPC-link counts the planner produces now (else: npm run bench:vpc-links -- --write)', () => {
    expect(section('vpc-links'), 'BENCHMARKS.md VPC-link section is stale: regenerate it with `npm run bench:vpc-links -- --write`').toBe(
      vpcLinkMarkdown(),
    );
  });

  it('records the Lambda-route counts the code produces now (else: npm run bench:lambda-routes -- --write)', () => {
    expect(
      withoutProvenance(section('lambda-routes')),
      'BENCHMARKS.md "Lambda routes" section is stale: regenerate it with `npm run bench:lambda-routes -- --write`',
    ).toBe(lambdaRoutesMarkdown());
  });
});
