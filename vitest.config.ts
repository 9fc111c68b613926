import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['engine/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most suites wait on sockets (a real redis-server beside the engine), not on the CPU:
    // twice as many workers as a 2-core CI machine has cores keeps both cores busy.
    maxWorkers: 4,
  },
})
