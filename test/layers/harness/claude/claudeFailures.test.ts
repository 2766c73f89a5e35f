import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { WorkerEvent } from "../../../../src/domain/workerEvent.js"
import { httpError, text } from "../../../fakes/modelServer/messagesScript.js"
import { atLeast, count, record, visibleTags } from "../codex/codexFixture.js"
import { claudeHarness, makeClaudeWorld } from "./claudeFixture.js"

const last = <T extends WorkerEvent["_tag"]>(events: ReadonlyArray<WorkerEvent>, tag: T) =>
  events.filter((event): event is Extract<WorkerEvent, { _tag: T }> => event._tag === tag).at(-1)

describe("harness.claude failures and interrupts with the real Claude Code binary", () => {
  it.scopedLive("a 400 from the model fails the turn and crashes the session with the model's message", () =>
    Effect.gen(function* () {
      const world = yield* makeClaudeWorld([httpError(400, "model m is not allowed here")])
      const handle = yield* (yield* claudeHarness(world)).spawn(world.spec())
      const recorder = yield* record(handle)
      yield* handle.sendInput("hello")
      yield* recorder.ended
      const events = yield* recorder.events
      expect(visibleTags(events)).toEqual(["TurnStarted", "TurnCompleted", "Crashed"])
      expect(last(events, "TurnCompleted")).toMatchObject({ status: "failed" })
      expect(last(events, "TurnCompleted")?.error).toBe("API Error: 400 model m is not allowed here")
      expect(last(events, "Crashed")?.reason).toBe("API Error: 400 model m is not allowed here")
      const refused = yield* Effect.flip(handle.sendInput("again"))
      expect(refused._tag).toBe("HarnessError")
    }).pipe(Effect.provide(NodeContext.layer)), 60_000)

  it.scopedLive("an interrupt stops a slow answer; the session then takes the next input", () =>
    Effect.gen(function* () {
      const world = yield* makeClaudeWorld([
        { kind: "output", blocks: [{ kind: "text", text: "This answer streams very slowly, one piece at a time." }], delayMs: 400 },
        text("Fresh answer.")
      ])
      const handle = yield* (yield* claudeHarness(world)).spawn(world.spec())
      const recorder = yield* record(handle)
      yield* handle.sendInput("say something long")
      yield* recorder.waitFor(atLeast("TextDelta"))
      yield* handle.interrupt
      const stopped = yield* recorder.waitFor(atLeast("TurnCompleted"))
      expect(last(stopped, "TurnCompleted")).toMatchObject({ status: "interrupted", error: null })

      yield* handle.sendInput("try again")
      const events = yield* recorder.waitFor(atLeast("TurnCompleted", 2))
      expect(last(events, "TurnCompleted")).toMatchObject({ status: "completed" })
      expect(last(events, "Message")?.text).toBe("Fresh answer.")
      expect(count("Crashed")(events)).toBe(0)
    }).pipe(Effect.provide(NodeContext.layer)), 60_000)

  it.scopedLive("the claude process dying crashes the session with its reason", () =>
    Effect.gen(function* () {
      const world = yield* makeClaudeWorld([])
      const harness = yield* claudeHarness(world, { claude_binary: "/bin/false", allow_unsafe_command_paths: true })
      const error = yield* Effect.flip(harness.spawn(world.spec()))
      expect(error.message).toContain("exited with code 1")
    }).pipe(Effect.provide(NodeContext.layer)), 60_000)
})

describe("harness.claude resume with the real Claude Code binary", () => {
  // Resuming a stored session in a new harness instance is in the contract suite (../contract.test.ts).
  it.scopedLive("resuming an unknown session fails with claude's reason", () =>
    Effect.gen(function* () {
      const world = yield* makeClaudeWorld([])
      const error = yield* Effect.flip((yield* claudeHarness(world)).resume(world.spec(), "0b8c3a7e-1111-4222-8333-444455556666"))
      expect(error._tag).toBe("HarnessError")
      expect(error.message).toMatch(/session|conversation/i)
    }).pipe(Effect.provide(NodeContext.layer)), 60_000)
})
