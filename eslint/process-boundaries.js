// Vigil's process boundaries as lint rules. Code is split by where it may run, as VS Code and Signal do:
// a file that crosses a line fails `eslint .` (and so `make test`). test/unit/process-boundaries.test.ts proves
// each rule rejects a violating file.
import globals from 'globals';

// Bare builtin names must match a whole import specifier (as `paths`), never a folder of ours that happens to share
// the name (test/fixtures/events/...); `node:*` and builtin subpaths are patterns.
const nodeBuiltinNames = ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'tls', 'dgram', 'dns',
  'stream', 'zlib', 'url', 'util', 'worker_threads', 'cluster', 'process', 'buffer', 'events', 'module', 'readline',
  'v8', 'vm', 'perf_hooks', 'async_hooks', 'inspector'];
const nodeBuiltinPatterns = ['node:*', 'fs/*', 'stream/*', 'util/*', 'path/*', 'dns/*', 'timers/*', 'readline/*'];
const builtinPaths = (message) => nodeBuiltinNames.map((name) => ({ name, message }));

const electronOnlyInMainElectron = {
  name: 'electron',
  message: 'Only main/electron/ may import electron: keep the rest of main usable from the CLI and the browser host.',
};

// Browser globals that shared/ must not touch (it also runs in Node and in Web Workers).
const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'indexedDB', 'location',
  'HTMLElement', 'Element', 'Node', 'XMLHttpRequest', 'alert', 'DOMParser'];
// Node globals that shared/ must not touch.
const nodeGlobals = ['process', 'Buffer', 'require', '__dirname', '__filename', 'global', 'setImmediate'];

export const boundaryConfigs = [
  {
    files: ['shared/**/*.{ts,tsx,js}'],
    // Unit tests of shared code run under Node (vitest) and may read fixtures from disk.
    ignores: ['shared/**/*.test.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronOnlyInMainElectron, ...builtinPaths('shared/ runs in the renderer and in workers too: no Node API here. Move I/O to main/.')],
        patterns: [
          { group: nodeBuiltinPatterns, message: 'shared/ runs in the renderer and in workers too: no Node API here. Move I/O to main/.' },
          { group: ['**/main/**', '**/renderer/**', 'react', 'react-dom', 'react-dom/*', 'dexie', 'cytoscape', 'd3', 'd3-*', '@kubernetes/client-node'],
            message: 'shared/ depends on neither side: no main/, renderer/, DOM or Node-only libraries.' },
        ],
      }],
      'no-restricted-globals': ['error',
        ...domGlobals.map((name) => ({ name, message: 'shared/ must not use DOM APIs (it also runs in Node).' })),
        ...nodeGlobals.map((name) => ({ name, message: 'shared/ must not use Node APIs (it also runs in the browser).' }))],
    },
  },
  {
    files: ['main/**/*.{ts,tsx,js}'],
    ignores: ['main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnlyInMainElectron] }] },
  },
  {
    files: ['renderer/**/*.{ts,tsx,js}'],
    ignores: ['renderer/vite.config.ts', 'renderer/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronOnlyInMainElectron, ...builtinPaths('The renderer is a sandboxed web page: no Node API.')],
        patterns: [
          { group: ['**/main/**'], message: 'The renderer never imports main/: talk to it through the contract (shared/api).' },
          { group: nodeBuiltinPatterns, message: 'The renderer is a sandboxed web page: no Node API.' },
        ],
      }],
    },
  },
  {
    files: ['test/**/*.{ts,tsx,js}', 'scripts/**/*.{js,mjs,cjs,ts}', 'eslint/**/*.js', '*.config.{js,ts}'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnlyInMainElectron] }] },
  },
];
