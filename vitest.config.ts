import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration and e2e suites start their own emulators; 2-core machines need room.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Handler logs (Powertools JSON lines) would drown the test report; failures are asserted on responses.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    maxWorkers: 2,
  },
});
