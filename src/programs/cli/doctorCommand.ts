import { Command } from "@effect/cli"
import { Console, Effect } from "effect"
import { CommandFailed, ConfigInvalid, ConfigUnreadable } from "../../domain/errors.js"
import { AppConfig } from "../../services/AppConfig.js"
import { runChecks, type CheckResult } from "../doctor/checks.js"
import { ConfigFromFlags } from "./globals.js"
import { renderTable } from "./table.js"

const mark = (result: CheckResult) => (result.status === "ok" ? "ok" : result.status === "warn" ? "warn" : "FAIL")

export const doctorCommand = Command.make("doctor", {}, () =>
  Effect.gen(function* () {
    const loaded = yield* Effect.either(Effect.provide(AppConfig, ConfigFromFlags))
    if (loaded._tag === "Left") {
      const error = loaded.left
      yield* Console.log(`FAIL  config  ${error instanceof ConfigInvalid || error instanceof ConfigUnreadable ? error.message : String(error)}`)
      return yield* Effect.fail(new CommandFailed({ summary: "the configuration is not valid" }))
    }
    const results = yield* runChecks(loaded.right)
    yield* Console.log(renderTable(["", "CHECK", "DETAIL"], results.map((r) => [mark(r), r.name, r.detail])))
    const missing = results.filter((r) => r.required && r.status === "fail")
    if (missing.length > 0) {
      return yield* Effect.fail(new CommandFailed({ summary: `missing required: ${missing.map((r) => r.name).join(", ")}` }))
    }
  })
).pipe(Command.withDescription("check git, gh, codex, opencode, API keys, config and store; exit 1 if a required piece is missing"))
