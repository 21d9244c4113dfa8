// VPC links' resource economy: how many links and stack resources N private services behind one NLB cost, across two REST gateways.
//
//   npx tsx bench/vpc-links.bench.ts [--write]
//
// Counts only (the planner's stack estimate, which the construct tests hold equal to the synthesized template), so
// the numbers are deterministic. Baseline: the same services as public https:// URLs, which need no link.
import { writeSection } from './support/benchmarks-section';
import { vpcLinkMarkdown } from './support/vpc-link-counts';

const markdown = vpcLinkMarkdown();
console.log(markdown);
if (process.argv.includes('--write')) writeSection('vpc-links', markdown);
