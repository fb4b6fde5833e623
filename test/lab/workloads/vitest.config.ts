import { defineConfig } from 'vitest/config';

// Unit tests of the lab workloads and scenario descriptions (no root, no lab needed). The repository's root
// config does not include test/lab yet; until it does, run these with
// `npx vitest run -c test/lab/workloads/vitest.config.ts`.
export default defineConfig({
  test: {
    root: new URL('../../..', import.meta.url).pathname,
    include: ['test/lab/workloads/**/*.test.ts', 'test/lab/scenarios/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
