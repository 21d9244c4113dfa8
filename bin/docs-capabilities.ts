// Writes the README's "REST vs HTTP API" table from the capability matrix (lib/plan/capabilities.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withCapabilityTable } from '../lib/plan/capabilities';

const readme = join(__dirname, '..', 'README.md');
writeFileSync(readme, withCapabilityTable(readFileSync(readme, 'utf8')));
