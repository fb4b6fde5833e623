import { defineConfig } from 'vitest/config';

// Unit tests live beside the code they test (`*.test.ts`) in shared/, main/, renderer/ and test/lab/ (the lab's own
// pure parts and its loopback workloads).
// Integration tests that need the lab (root, a real API server) live in test/integration and have their own config.
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'main/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'test/unit/**/*.test.ts', 'test/lab/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
