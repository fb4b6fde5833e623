// Checks records written by internal/httpflow (one "<kind> <json>" per line) against the event detail schemas of
// shared/model/event.ts, the single definition every consumer of collector events parses with.
// Usage: tsx validate-records.ts FILE...   Prints one line per file and exits 1 on the first invalid record.
import { readFileSync } from 'node:fs';
import { eventDetailSchemas, type EventKind } from '../../../shared/model/event.js';

let failures = 0;
for (const file of process.argv.slice(2)) {
  const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.length > 0);
  for (const [index, line] of lines.entries()) {
    const space = line.indexOf(' ');
    const kind = line.slice(0, space) as EventKind;
    const schema = eventDetailSchemas[kind];
    if (!schema) {
      console.log(`${file}:${index + 1}: unknown kind ${kind}`);
      failures++;
      continue;
    }
    const result = schema.strict().safeParse(JSON.parse(line.slice(space + 1)));
    if (!result.success) {
      console.log(`${file}:${index + 1}: ${kind} does not match the schema: ${result.error.message}`);
      failures++;
    }
  }
  console.log(`${file}: ${lines.length} records checked`);
}
process.exit(failures > 0 ? 1 : 0);
