// Lint, including Vigil's process boundaries (see eslint/process-boundaries.js):
//   shared/   imports no Node API and no DOM API — it runs in main, in the renderer and in Web Workers;
//   electron  is imported only under main/electron/;
//   renderer/ never imports from main/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { boundaryConfigs } from './eslint/process-boundaries.js';

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'native-bpf-collector/**',
      'shared/collector-api/**/*_pb.ts', '**/*.generated.ts', 'test/lab/**/*.py'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
      // Validators of untrusted input (entry names, headers) legitimately match control characters.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  ...boundaryConfigs,
);
