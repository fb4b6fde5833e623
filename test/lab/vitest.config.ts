import { defineConfig } from 'vitest/config';

// Unit tests of the lab's pure parts (naming, objects, rules), runnable on any machine:
// `npx vitest run -c test/lab/vitest.config.ts`. (The root config's include does not cover test/lab yet.)
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/lab/**/*.test.ts'],
    exclude: ['test/lab/workloads/**', 'test/lab/scenarios/**', 'node_modules/**'],
    environment: 'node',
  },
});
