import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores on the CI machine: the real-binary suites are heavy, keep parallelism modest.
    maxWorkers: 2,
    minWorkers: 1,
    // .ci/run asks for a JSON report to print its closing "N passed, N failed" line.
    ...(process.env.ORCHESTRATOR_VITEST_JSON
      ? { reporters: ["default", "json"], outputFile: { json: process.env.ORCHESTRATOR_VITEST_JSON } }
      : {})
  }
})
