import type { FileSystem } from "@effect/platform"
import { Effect } from "effect"
import type { LoadedConfig } from "../../services/AppConfig.js"
import type { HarnessProvider } from "../../services/HarnessProvider.js"
import type { ProcessRunner } from "../../services/ProcessRunner.js"
import type { StoreInspector } from "../../services/StoreInspector.js"
import type { TrackerProvider } from "../../services/TrackerProvider.js"
import type { CheckResult } from "./checkResult.js"
import { keyChecks } from "./keyChecks.js"
import { ghAuthCheck, harnessChecks, versionCheck } from "./processChecks.js"
import { storeChecks } from "./storeCheck.js"
import { webCheck } from "./webCheck.js"

/** The provider tables' descriptions, handed over by the command's wiring. */
export interface DoctorProviders {
  readonly harnesses: ReadonlyArray<HarnessProvider>
  readonly trackers: ReadonlyArray<TrackerProvider>
}

export const runChecks = (
  config: LoadedConfig,
  providers: DoctorProviders
): Effect.Effect<ReadonlyArray<CheckResult>, never, FileSystem.FileSystem | ProcessRunner | StoreInspector> =>
  Effect.gen(function* () {
    const settings = config.settings
    const results: Array<CheckResult> = [{ name: "config", status: "ok", detail: `${config.file} (valid)`, required: true }]
    results.push(...(yield* storeChecks(config)))
    results.push(yield* versionCheck("git", "git.binary", settings.git.binary))
    results.push(yield* versionCheck("gh", "github.binary", settings.github.binary))
    results.push(yield* ghAuthCheck(config))
    results.push(...(yield* harnessChecks(config, providers.harnesses)))
    results.push(...(yield* keyChecks(config, providers.trackers)))
    results.push(webCheck(config))
    return results
  })
