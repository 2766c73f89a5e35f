import { FileSystem } from "@effect/platform"
import { Effect } from "effect"
import * as NodePath from "node:path"
import type { LoadedConfig } from "../../services/AppConfig.js"
import type { HarnessProvider } from "../../services/HarnessProvider.js"
import type { ProcessRunner } from "../../services/ProcessRunner.js"
import type { TrackerProvider } from "../../services/TrackerProvider.js"
import type { CheckResult } from "./checkResult.js"
import { keyChecks } from "./keyChecks.js"
import { ghAuthCheck, harnessChecks, versionCheck } from "./processChecks.js"

/** The provider tables' descriptions, handed over by the command's wiring. */
export interface DoctorProviders {
  readonly harnesses: ReadonlyArray<HarnessProvider>
  readonly trackers: ReadonlyArray<TrackerProvider>
}

/** The store's directory exists or can be made, and a file there can be written and removed. */
export const storeCheck = (config: LoadedConfig) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const file = config.settings.event_store_path
    const dir = NodePath.dirname(file)
    const probe = NodePath.join(dir, `.orchestrator-doctor-${process.pid}`)
    const result = yield* Effect.either(
      Effect.gen(function* () {
        yield* fs.makeDirectory(dir, { recursive: true })
        yield* fs.writeFileString(probe, "ok")
        yield* fs.remove(probe)
      })
    )
    return result._tag === "Right"
      ? ({ name: "store", status: "ok", detail: `${file} (writable)`, required: true } satisfies CheckResult)
      : ({ name: "store", status: "fail", detail: `${dir} is not writable: ${result.left.message}`, required: true } satisfies CheckResult)
  })

export const runChecks = (
  config: LoadedConfig,
  providers: DoctorProviders
): Effect.Effect<ReadonlyArray<CheckResult>, never, FileSystem.FileSystem | ProcessRunner> =>
  Effect.gen(function* () {
    const settings = config.settings
    const results: Array<CheckResult> = [{ name: "config", status: "ok", detail: `${config.file} (valid)`, required: true }]
    results.push(yield* storeCheck(config))
    results.push(yield* versionCheck("git", "git.binary", settings.git.binary))
    results.push(yield* versionCheck("gh", "github.binary", settings.github.binary))
    results.push(yield* ghAuthCheck(config))
    results.push(...(yield* harnessChecks(config, providers.harnesses)))
    results.push(...(yield* keyChecks(config, providers.trackers)))
    return results
  })
