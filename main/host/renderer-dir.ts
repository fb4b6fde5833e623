// Where the built workbench lives: dist/renderer, beside the CLI bundle's directory (dist/cli, whose commands are in
// dist/cli/chunks) in a checkout or a package.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function defaultRendererDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const cliDir = path.basename(here) === 'chunks' ? path.dirname(here) : here;
  const candidates = [path.resolve(cliDir, '..', 'renderer'), path.resolve(cliDir, '..', '..', 'dist', 'renderer')];
  // Not built yet: the first is the usual place, so the error the host gives points at it.
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? candidates[0]!;
}
