import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores on the CI machine: the real-binary suites are heavy, keep parallelism modest.
    maxWorkers: 2,
    minWorkers: 1
  }
})
