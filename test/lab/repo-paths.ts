// Paths inside the repository, found the same way whether the lab code runs from source (tsx, vitest) or from the
// CLI bundle (dist/cli/vigil.mjs).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function repoRoot(): string {
  const candidates = [process.env.VIGIL_REPO_ROOT, path.dirname(fileURLToPath(import.meta.url))].filter((c): c is string => !!c);
  for (const start of candidates) {
    let dir = path.resolve(start);
    for (;;) {
      if (existsSync(path.join(dir, 'test/lab/topology.ts')) && existsSync(path.join(dir, 'package.json'))) return dir;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error('cannot find the Vigil repository (test/lab/topology.ts); set VIGIL_REPO_ROOT');
}
