import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSchemas, schemaDir } from '../../native-bpf-collector/scripts/gen-json-schema.js';

describe('collector wire schema', () => {
  it('the committed JSON Schema for Go is what shared/collector-api generates (regenerate with gen-json-schema.ts)', () => {
    for (const [file, text] of Object.entries(renderSchemas())) {
      expect(readFileSync(path.join(schemaDir, file), 'utf8'), file).toBe(text);
    }
  });
});
