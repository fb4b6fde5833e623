import { defineConfig } from 'vitest/config';

// Integration tests run against real parts: the lab's kube-apiserver and etcd, the eBPF collector, real agents.
// They need root on Linux; files run one at a time because they share the one lab.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/integration/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 900_000,
  },
});
