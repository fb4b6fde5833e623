// Where the built workbench lives: dist/renderer beside the CLI bundle (dist/cli) in a checkout or a package.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function defaultRendererDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.resolve(here, '..', 'renderer');
}
