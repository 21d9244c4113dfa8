// Writes the README's metrics table from the metric-name modules (lib/plan/metric-table.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withMetricTable } from '../lib/plan/metric-table';

const readme = join(__dirname, '..', 'README.md');
writeFileSync(readme, withMetricTable(readFileSync(readme, 'utf8')));
