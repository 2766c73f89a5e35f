import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { message } from "../../../fakes/modelServer/responsesScript.js"
import { atLeast, codexHarness, makeCodexWorld, record } from "./codexFixture.js"

describe("harness.codex resume with the real codex app-server", () => {
  it.scopedLive("a new orchestrator resumes the stored thread and the model sees the earlier conversation", () =>
    Effect.gen(function* () {
      const world = yield* makeCodexWorld([message("The capital is Paris."), message("You asked about France.")])

      // First orchestrator: one turn, then everything of it goes away (layer, sessions, process).
      const first = yield* Scope.make()
      const threadId = yield* Effect.gen(function* () {
        const handle = yield* (yield* codexHarness(world)).spawn(world.spec())
        const recorder = yield* record(handle)
        yield* handle.sendInput("What is the capital of France?")
        yield* recorder.waitFor(atLeast("TurnCompleted"))
        return handle.harnessSessionId
      }).pipe(Scope.extend(first))
      yield* Scope.close(first, Exit.void)

      // Second orchestrator: only the stored thread id survives.
      const handle = yield* (yield* codexHarness(world)).resume(world.spec(), threadId)
      expect(handle.harnessSessionId).toBe(threadId)
      const recorder = yield* record(handle)
      yield* handle.sendInput("What did I ask before?")
      const events = yield* recorder.waitFor(atLeast("TurnCompleted"))
      expect(events.at(-1)).toMatchObject({ _tag: "TurnCompleted", status: "completed" })
      expect(events.filter((event) => event._tag === "Message").map((event) => event._tag === "Message" && event.text)).toEqual([
        "You asked about France."
      ])

      const requests = yield* world.server.requests
      expect(requests).toHaveLength(2)
      const resumed = JSON.stringify(requests[1])
      expect(resumed).toContain("What is the capital of France?")
      expect(resumed).toContain("The capital is Paris.")
      expect(resumed).toContain("What did I ask before?")
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scopedLive("resuming an unknown thread fails with the server's reason", () =>
    Effect.gen(function* () {
      const world = yield* makeCodexWorld([])
      const error = yield* Effect.flip((yield* codexHarness(world)).resume(world.spec(), "01a20a00-0000-7000-8000-000000000000"))
      expect(error.message).toContain("thread/resume failed")
    }).pipe(Effect.provide(NodeContext.layer)))
})
