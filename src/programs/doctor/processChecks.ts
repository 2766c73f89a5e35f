import { Effect } from "effect"
import type { LoadedConfig } from "../../services/AppConfig.js"
import type { HarnessProvider } from "../../services/HarnessProvider.js"
import { ProcessRunner } from "../../services/ProcessRunner.js"
import { type CheckResult, checked } from "./checkResult.js"

const firstLine = (text: string) => text.trim().split("\n")[0] ?? ""

/** `<binary> --version` answers; the detail names the setting to fix when it does not. */
export const versionCheck = (name: string, configKey: string, binary: string) =>
  Effect.flatMap(ProcessRunner, (runner) =>
    runner.run({ binary, args: ["--version"], timeout: "15 seconds" }).pipe(
      Effect.map((output) => `${firstLine(output.stdout || output.stderr)} (${binary})`),
      checked(name, true, (error) => `${configKey} = ${JSON.stringify(binary)}: ${error.message}`)
    )
  )

export const ghAuthCheck = (config: LoadedConfig) =>
  Effect.flatMap(ProcessRunner, (runner) =>
    runner.capture({ binary: config.settings.github.binary, args: ["auth", "status"], timeout: "15 seconds" }).pipe(
      Effect.match({
        onFailure: (): CheckResult => ({ name: "gh auth", status: "warn", detail: "gh is not available", required: false }),
        onSuccess: (output): CheckResult =>
          output.exitCode === 0
            ? { name: "gh auth", status: "ok", detail: "logged in", required: false }
            : { name: "gh auth", status: "warn", detail: "not logged in: run `gh auth login` before opening pull requests", required: false }
      })
    )
  )

/** Each harness of the table answers its own health check; only the configured one is required. */
export const harnessChecks = (config: LoadedConfig, harnesses: ReadonlyArray<HarnessProvider>) =>
  Effect.forEach(harnesses, (harness) =>
    harness.health(config).pipe(checked(harness.name, harness.id === config.settings.harness_provider))
  )
