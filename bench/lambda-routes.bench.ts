// Resource economy of Lambda routes: Gatehouse's one permission per function per API vs plain aws-cdk-lib's LambdaIntegration.
//
//   npx tsx bench/lambda-routes.bench.ts [--write]
//
// Counts only (deterministic); nothing here is timed. test/benchmarks.test.ts fails when the recorded table is stale.
import { SectionReport } from './support/benchmarks-section';
import { lambdaRoutesMarkdown } from './support/lambda-route-counts';

const report = new SectionReport('lambda-routes');
report.add(lambdaRoutesMarkdown());
report.finish();
