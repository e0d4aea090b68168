/**
 * Writes resources/config/samsyn.schema.json, the JSON Schema of the
 * configuration file, from the zod schemas (src/main/app/config.ts and each
 * source kind's), for editors: `"$schema": "./samsyn.schema.json"` in a config.
 *   npx tsx scripts/config-schema.ts          write it
 *   npx tsx scripts/config-schema.ts --check  exit 1 if the committed file is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchemaText } from '../src/main/app/configSchema';

const file = join(__dirname, '..', 'resources', 'config', 'samsyn.schema.json');
const text = configJsonSchemaText();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // missing: out of date
  }
  if (current !== text) {
    process.stderr.write(`${file} is out of date: run npm run config:schema\n`);
    process.exit(1);
  }
} else {
  writeFileSync(file, text);
  process.stdout.write(`wrote ${file}\n`);
}
