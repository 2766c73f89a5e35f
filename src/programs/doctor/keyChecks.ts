import { Config, Effect, Option } from "effect"
import type { LoadedConfig } from "../../services/AppConfig.js"
import type { TrackerProvider } from "../../services/TrackerProvider.js"
import type { CheckResult } from "./checkResult.js"

const keyCheck = (name: string, present: boolean, usedFor: string): CheckResult => ({
  name,
  status: present ? "ok" : "warn",
  detail: present ? `set (${usedFor})` : `not set (${usedFor} unavailable)`,
  required: false
})

const isSet = (name: string) =>
  Config.option(Config.redacted(name)).pipe(
    Effect.map(Option.isSome),
    Effect.orElseSucceed(() => false)
  )

/** Each tracker of the table that needs a key, the supervisor's key, and the tracker in use. */
export const keyChecks = (config: LoadedConfig, trackers: ReadonlyArray<TrackerProvider>) =>
  Effect.gen(function* () {
    const results: Array<CheckResult> = []
    for (const tracker of trackers) {
      if (tracker.secretEnv !== undefined) results.push(keyCheck(tracker.secretEnv, yield* isSet(tracker.secretEnv), `${tracker.name} tickets`))
    }
    results.push(keyCheck("OPENROUTER_API_KEY", Option.isSome(config.secrets.openrouterApiKey), "the supervisor"))
    results.push({ name: "tickets", status: "ok", detail: `using ${config.settings.ticketing_provider}`, required: false })
    const inUse = trackers.find((tracker) => tracker.id === config.settings.ticketing_provider)
    if (inUse?.setupProblems !== undefined) {
      const problems = yield* inUse.setupProblems(config)
      results.push({
        name: inUse.id,
        status: problems.length === 0 ? "ok" : "fail",
        detail: problems.length === 0 ? `${inUse.name}: set up` : problems.join("; "),
        required: true
      })
    }
    return results
  })
