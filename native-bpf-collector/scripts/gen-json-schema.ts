// Writes native-bpf-collector/schema/v1/<name>.schema.json from the zod schemas in shared/collector-api (the single
// source of the wire format). Run: npx tsx native-bpf-collector/scripts/gen-json-schema.ts [--check]
// With --check it writes nothing and exits 1 when a committed file differs (the unit test runs this).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { COLLECTOR_API_VERSION, wireSchemas } from '../../shared/collector-api/messages.js';

export const schemaDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'schema', COLLECTOR_API_VERSION);

export function renderSchemas(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, schema] of Object.entries(wireSchemas)) {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' });
    files[`${name}.schema.json`] = `${JSON.stringify({ $id: `vigil-collector/${COLLECTOR_API_VERSION}/${name}`, ...json }, null, 2)}\n`;
  }
  return files;
}

function main(): void {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  mkdirSync(schemaDir, { recursive: true });
  for (const [file, text] of Object.entries(renderSchemas())) {
    const target = path.join(schemaDir, file);
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // missing: stale
    }
    if (current === text) continue;
    stale.push(file);
    if (!check) writeFileSync(target, text);
  }
  if (check && stale.length > 0) {
    process.stderr.write(`stale JSON Schema (regenerate with npx tsx native-bpf-collector/scripts/gen-json-schema.ts): ${stale.join(', ')}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
