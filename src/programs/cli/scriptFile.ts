import { FileSystem } from "@effect/platform"
import { Duration, Effect, Layer, ParseResult, Schema } from "effect"
import { ScriptedHarnessInvalid } from "../../domain/runErrors.js"
import { WorkerEvent } from "../../domain/workerEvent.js"
import { scriptedHarness, type ScriptStep } from "../../layers/harness/Scripted.js"

const Step = Schema.Struct({
  /** Delay after the previous step. */
  afterMs: Schema.optionalWith(Schema.Number.pipe(Schema.nonNegative(), Schema.lessThanOrEqualTo(600_000)), { default: () => 0 }),
  event: WorkerEvent
})
const Steps = Schema.Array(Step).pipe(Schema.maxItems(10_000))

/**
 * A scripted harness as JSON: what a new session plays, and what it plays after each message
 * (`onInput[n-1]` after the n-th; the last entry repeats).
 */
export const ScriptFile = Schema.Struct({
  script: Steps,
  onInput: Schema.optionalWith(Schema.Array(Steps).pipe(Schema.maxItems(1000)), { default: () => [] })
})
export type ScriptFile = typeof ScriptFile.Type

const steps = (list: ReadonlyArray<typeof Step.Type>): ReadonlyArray<ScriptStep> =>
  list.map((step) => ({ after: Duration.millis(step.afterMs), event: step.event }))

export const decodeScriptFile = (path: string, text: string) =>
  Schema.decodeUnknown(Schema.parseJson(ScriptFile))(text).pipe(
    Effect.mapError((error) => new ScriptedHarnessInvalid({ path, detail: ParseResult.TreeFormatter.formatErrorSync(error) }))
  )

/**
 * TEST/DEMO HOOK: `ORCHESTRATOR_SCRIPTED_HARNESS=<file.json>` makes `run` drive the scripted
 * harness with this file instead of codex/opencode, so the end-to-end test and demos run offline
 * with no agent binary. Not for real work.
 */
export const scriptedHarnessFromFile = (path: string) =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const text = yield* fs.readFileString(path).pipe(Effect.mapError((error) => new ScriptedHarnessInvalid({ path, detail: error.message })))
      const file = yield* decodeScriptFile(path, text)
      return scriptedHarness({
        script: () => steps(file.script),
        onInput: (_spec, _text, count) => steps(file.onInput[Math.min(count, file.onInput.length) - 1] ?? [])
      })
    })
  )
