// Where the generated JSON Schema of gatehouse.yaml lives in the package (lib/ ships; editors point at it).
import { basename, dirname, join } from 'node:path';

// Built code runs from dist/lib/config, but the schema file ships beside the sources in lib/config.
const inDist = basename(dirname(dirname(__dirname))) === 'dist';

/** lib/config/gatehouse.schema.json in the installed package or this repo. */
export const JSON_SCHEMA_FILE = inDist
  ? join(__dirname, '..', '..', '..', 'lib', 'config', 'gatehouse.schema.json')
  : join(__dirname, 'gatehouse.schema.json');
