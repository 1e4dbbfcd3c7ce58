import { defineConfig } from 'vitest/config';

export const config = defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});

// vitest reads the default export; the style guide prefers named exports everywhere else.
// eslint-disable-next-line no-restricted-syntax
export default config;
