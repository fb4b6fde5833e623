// Builds Vigil's bundles. `node scripts/build.mjs [cli|main|renderer|all]` (default: all).
//   cli       dist/cli/vigil.mjs           the `vigil` command (Node, ESM), its commands in dist/cli/chunks/
//   main      dist/main/electron-main.cjs  Electron's main process, and dist/main/preload.cjs (sandboxed preload)
//   renderer  dist/renderer/               the React workbench (vite), served by app:// or by `vigil serve`
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const define = { __VIGIL_VERSION__: JSON.stringify(pkg.version) };
const targets = process.argv.slice(2);
const wanted = (name) => targets.length === 0 || targets.includes('all') || targets.includes(name);

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Dependencies stay in node_modules (electron-builder packs them); only our own code is bundled.
  packages: 'external',
  define,
  logLevel: 'warning',
  absWorkingDir: root,
};

async function buildCli() {
  const result = await build({
    metafile: true,
    ...nodeCommon,
    entryPoints: ['main/cli/vigil.ts'],
    // One chunk per command (main/cli/commands.ts imports each on demand), so a command loads only its own code.
    outdir: 'dist/cli',
    splitting: true,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    banner: { js: "import { createRequire as __vigilCreateRequire } from 'node:module'; const require = __vigilCreateRequire(import.meta.url);" },
  });
  removeStaleChunks(path.join(root, 'dist/cli/chunks'), Object.keys(result.metafile.outputs).map((o) => path.resolve(root, o)));
}

/**
 * Chunks of earlier builds are removed once they are a few minutes old: a `vigil` started before this rebuild may
 * still import its own chunks (bin/vigil rebuilds while other commands run), so they are not deleted at once.
 */
function removeStaleChunks(dir, current) {
  if (!existsSync(dir)) return;
  const keep = new Set(current);
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (!keep.has(file) && Date.now() - statSync(file).mtimeMs > 10 * 60_000) rmSync(file, { force: true });
  }
}

async function buildMain() {
  await build({ ...nodeCommon, entryPoints: ['main/electron/electron-main.ts'], outfile: 'dist/main/electron-main.cjs', format: 'cjs', external: ['electron'] });
  // A sandboxed preload must be a single CommonJS file that requires only 'electron'.
  await build({ ...nodeCommon, packages: undefined, entryPoints: ['main/electron/preload.ts'], outfile: 'dist/main/preload.cjs', format: 'cjs', external: ['electron'] });
}

async function buildRenderer() {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(root, 'renderer/vite.config.ts'), logLevel: 'warn' });
}

const started = Date.now();
if (wanted('cli')) await buildCli();
if (wanted('main')) await buildMain();
if (wanted('renderer')) await buildRenderer();
console.error(`vigil build: ${targets.join(' ') || 'all'} in ${Date.now() - started} ms`);
