import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Stream, TestClock } from "effect"
import { SessionId } from "../../../src/domain/ids.js"
import { at, busyScript, makeScriptedHarness, now } from "../../../src/layers/harness/Scripted.js"
import type { SessionSpec } from "../../../src/services/Harness.js"

const spec: SessionSpec = {
  sessionId: SessionId.make("s"),
  worktreePath: "/work/s",
  model: null,
  instructions: "",
  env: {},
  approvalPolicy: "never",
  sandbox: "read-only"
}

const tags = (events: Chunk.Chunk<{ readonly _tag: string }>) => Chunk.toReadonlyArray(events).map((e) => e._tag)

describe("scripted harness", () => {
  it.scoped("plays its script on the clock and ends after Done", () =>
    Effect.gen(function* () {
      const { harness } = yield* makeScriptedHarness({
        script: () => [
          at("2 seconds", { _tag: "TurnStarted", turnId: "t" }),
          at("3 seconds", { _tag: "Done", reason: "ok" }),
          now({ _tag: "Message", itemId: "never", text: "after Done" })
        ]
      })
      const handle = yield* harness.spawn(spec)
      expect(handle.harnessSessionId).toBe("scripted-s")
      const fiber = yield* Effect.fork(Stream.runCollect(handle.events))
      yield* TestClock.adjust("4 seconds")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 second")
      expect(tags(yield* Fiber.join(fiber))).toEqual(["TurnStarted", "Done"])
    }))

  it.scoped("a step with a delay and the zero-delay steps after it arrive together, as one chunk", () =>
    Effect.gen(function* () {
      const { harness } = yield* makeScriptedHarness({
        script: () => [
          now({ _tag: "TurnStarted", turnId: "t" }),
          at("50 millis", { _tag: "TextDelta", itemId: "m", text: "a" }),
          now({ _tag: "TextDelta", itemId: "m", text: "b" }),
          now({ _tag: "TextDelta", itemId: "m", text: "c" }),
          at("50 millis", { _tag: "Done", reason: "ok" })
        ]
      })
      const handle = yield* harness.spawn(spec)
      const fiber = yield* Effect.fork(Stream.runCollect(Stream.chunks(handle.events)))
      yield* TestClock.adjust("100 millis")
      const chunks = Chunk.toReadonlyArray(yield* Fiber.join(fiber)).map(tags)
      expect(chunks).toEqual([["TurnStarted"], ["TextDelta", "TextDelta", "TextDelta"], ["Done"]])
    }))

  it.scoped("answers input with the scripted reply; kill ends the stream and refuses further input", () =>
    Effect.gen(function* () {
      const { harness, log } = yield* makeScriptedHarness({
        script: () => [],
        onInput: (_spec, text, count) => [now({ _tag: "Message", itemId: `m${count}`, text: `echo ${text}` })]
      })
      const handle = yield* harness.spawn(spec)
      const fiber = yield* Effect.fork(Stream.runCollect(handle.events))
      yield* handle.sendInput("hello")
      yield* TestClock.adjust("1 millis")
      yield* handle.kill
      const events = Chunk.toReadonlyArray(yield* Fiber.join(fiber))
      expect(events).toEqual([{ _tag: "Message", itemId: "m1", text: "echo hello" }])
      expect((yield* Effect.flip(handle.sendInput("again"))).message).toBe("harness.scripted: sendInput failed: session s was killed")
      expect((yield* log.calls).map((c) => c.op)).toEqual(["spawn", "input", "kill"])
    }))

  it.effect("fails spawn and resume with the scripted reasons", () =>
    Effect.gen(function* () {
      const { harness } = yield* makeScriptedHarness({
        script: () => [],
        spawnFailure: () => "no such worktree",
        onResume: () => "thread not found"
      })
      expect((yield* Effect.flip(harness.spawn(spec))).message).toBe("harness.scripted: spawn failed: no such worktree")
      expect((yield* Effect.flip(harness.resume(spec, "t-1"))).message).toBe("harness.scripted: resume failed: thread not found")
    }))

  it("busyScript has exactly the requested number of events and ends with Done", () => {
    const script = busyScript(5000)
    expect(script).toHaveLength(5000)
    expect(script[0]?.event._tag).toBe("TurnStarted")
    expect(script.at(-1)?.event._tag).toBe("Done")
  })
})
