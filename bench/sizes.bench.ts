// The deterministic numbers (resource counts, bytes) in one BENCHMARKS.md section, fast to regenerate after any change
// to bundles or templates; test/benchmarks.test.ts fails when they differ from what the code produces.
import { loadavg } from 'node:os';
import { provenance, writeSection } from './support/benchmarks-section';
import { deterministicMarkdown } from './support/deterministic-numbers';
import { bundleAnalysisMarkdown } from './support/bundle-analysis';

async function main(): Promise<void> {
  const loadAtStart = loadavg();
  const started = Date.now();
  const body = await deterministicMarkdown();
  const markdown = `${provenance(loadAtStart)} Took ${Math.round((Date.now() - started) / 1000)} s.\n\n${body}`;
  console.log(markdown);
  const bundles = `${provenance(loadAtStart)}\n\n${bundleAnalysisMarkdown()}`;
  console.log(`\n${bundles}`);
  if (process.argv.includes('--write')) {
    writeSection('sizes', markdown);
    writeSection('bundles', bundles);
  }
}

void main();
