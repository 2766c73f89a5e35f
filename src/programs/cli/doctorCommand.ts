import { Command } from "@effect/cli"
import { Console, Effect, Layer } from "effect"
import { CommandFailed, ConfigInvalid, ConfigUnreadable } from "../../domain/errors.js"
import { StoreInspectorLive } from "../../layers/eventStore/StoreInspectorLive.js"
import { harnessProviders } from "../../layers/harness/providers.js"
import { ProcessRunnerLive } from "../../layers/process/ProcessRunnerLive.js"
import { trackerProviders } from "../../layers/ticketing/providers.js"
import { AppConfig } from "../../services/AppConfig.js"
import type { CheckResult } from "../doctor/checkResult.js"
import { runChecks } from "../doctor/checks.js"
import { ConfigFromFlags } from "./globals.js"
import { renderTable } from "./table.js"
import { terminalLine } from "../../domain/terminalText.js"

const mark = (result: CheckResult) => (result.status === "ok" ? "ok" : result.status === "warn" ? "warn" : "FAIL")

export const doctorCommand = Command.make("doctor", {}, () =>
  Effect.gen(function* () {
    const loaded = yield* Effect.either(Effect.provide(AppConfig, ConfigFromFlags))
    if (loaded._tag === "Left") {
      const error = loaded.left
      yield* Console.log(`FAIL  config  ${terminalLine(error instanceof ConfigInvalid || error instanceof ConfigUnreadable ? error.message : String(error))}`)
      return yield* Effect.fail(new CommandFailed({ summary: "the configuration is not valid" }))
    }
    const results = yield* runChecks(loaded.right, { harnesses: harnessProviders, trackers: trackerProviders }).pipe(
      Effect.provide(Layer.merge(ProcessRunnerLive, StoreInspectorLive))
    )
    yield* Console.log(renderTable(["", "CHECK", "DETAIL"], results.map((r) => [mark(r), r.name, r.detail])))
    const missing = results.filter((r) => r.required && r.status === "fail")
    if (missing.length > 0) {
      return yield* Effect.fail(new CommandFailed({ summary: `missing required: ${missing.map((r) => r.name).join(", ")}` }))
    }
  })
).pipe(Command.withDescription("check git, gh, every harness, API keys, config and store; exit 1 if a required piece is missing"))
