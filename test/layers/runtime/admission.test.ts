import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Option, TestClock } from "effect"
import { ScriptedHarnessLog } from "../../../src/layers/harness/Scripted.js"
import { Scheduler } from "../../../src/services/Scheduler.js"
import { SessionRuntime } from "../../../src/services/SessionRuntime.js"
import { recordBus, request, runtimeLayer, settle, sid, stateChanges } from "./fixture.js"

describe("session admission", () => {
  it.scoped("a failed spawn rolls back: Crashed with the reason, no slot held, the id can start again", () =>
    Effect.gen(function* () {
      const runtime = yield* SessionRuntime
      const events = yield* recordBus
      const error = yield* Effect.flip(runtime.start(request("bad")))
      expect(error.message).toBe("harness.scripted: spawn failed: worktree missing")
      const all = yield* events
      expect(all.map((e) => e._tag)).toEqual(["SessionSpawned", "SessionStateChanged"])
      expect(all[1]).toMatchObject({ from: "Starting", to: "Crashed", reason: "spawn failed: harness.scripted: spawn failed: worktree missing" })
      expect(yield* (yield* Scheduler).slots).toEqual({ limit: 1, running: [], waiting: [] })
      expect(yield* runtime.sessions).toEqual([])
      // The single slot is free again: another session starts at once.
      expect((yield* runtime.start(request("good"))).state).toBe("Idle")
    }).pipe(
      Effect.provide(
        runtimeLayer(
          { script: () => [], spawnFailure: (spec) => (spec.sessionId === "bad" ? "worktree missing" : undefined) },
          { maxConcurrentSessions: 1 }
        )
      )
    ))

  it.scoped("a spawn that does not answer within the startup timeout fails and rolls back", () =>
    Effect.gen(function* () {
      const runtime = yield* SessionRuntime
      const events = yield* recordBus
      const start = yield* Effect.fork(Effect.flip(runtime.start(request("slow"))))
      yield* TestClock.adjust("29 seconds")
      expect(start.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 second")
      expect((yield* Fiber.join(start)).message).toBe("harness.scripted: spawn failed: no answer within 30s")
      expect(stateChanges(yield* events, "slow")).toEqual(["Starting->Crashed"])
      expect((yield* (yield* Scheduler).slots).running).toEqual([])
    }).pipe(Effect.provide(runtimeLayer({ script: () => [], spawnDelay: "1 hour" }, { maxConcurrentSessions: 1 }))))

  it.scoped("starts beyond max_concurrent_sessions wait in order and start as slots free up", () =>
    Effect.gen(function* () {
      const runtime = yield* SessionRuntime
      const scheduler = yield* Scheduler
      const events = yield* recordBus
      yield* runtime.start(request("s1"))
      yield* runtime.start(request("s2"))
      const third = yield* Effect.fork(runtime.start(request("s3")))
      yield* settle
      const fourth = yield* Effect.fork(runtime.start(request("s4")))
      yield* settle
      expect(yield* scheduler.slots).toEqual({ limit: 2, running: [sid("s1"), sid("s2")], waiting: [sid("s3"), sid("s4")] })
      // A queued start is not a session yet: nothing recorded for it.
      expect(stateChanges(yield* events, "s3")).toEqual([])
      yield* runtime.kill(sid("s2"))
      yield* Fiber.join(third)
      expect((yield* scheduler.slots).waiting).toEqual([sid("s4")])
      yield* runtime.kill(sid("s1"))
      yield* Fiber.join(fourth)
      expect(yield* scheduler.slots).toEqual({ limit: 2, running: [sid("s3"), sid("s4")], waiting: [] })
      const spawned = (yield* events).flatMap((e) => (e._tag === "SessionSpawned" ? [e.sessionId] : []))
      expect(spawned).toEqual(["s1", "s2", "s3", "s4"])
    }).pipe(Effect.provide(runtimeLayer({ script: () => [] }, { maxConcurrentSessions: 2 }))))

  it.scoped("one focused session at a time; checkpoints go only to running sessions that are not focused", () =>
    Effect.gen(function* () {
      const runtime = yield* SessionRuntime
      const events = yield* recordBus
      yield* runtime.start(request("f1", "go"))
      yield* runtime.start(request("f2", "go"))
      yield* runtime.start(request("f3"))
      yield* runtime.focus(sid("f1"))
      yield* runtime.focus(sid("f2"))
      expect(yield* runtime.focused).toEqual(Option.some(sid("f2")))
      expect((yield* runtime.sessions).filter((s) => s.focused).map((s) => s.sessionId)).toEqual([sid("f2")])
      yield* TestClock.adjust("20 seconds")
      const checkpoints = (yield* events).flatMap((e) => (e._tag === "AgentInstructed" && e.reason === "checkpoint" ? [`${e.sessionId}#${e.attempt}`] : []))
      // f2 is focused, f3 is idle: only f1 is asked.
      expect(checkpoints).toEqual(["f1#1"])
      const inputs = (yield* (yield* ScriptedHarnessLog).calls).filter((c) => c.op === "input" && c.sessionId === "f1")
      expect(inputs).toHaveLength(2)
      expect(yield* Effect.flip(runtime.focus(sid("nope")))).toMatchObject({ _tag: "SessionNotLive" })
    }).pipe(
      Effect.provide(
        runtimeLayer(
          { script: () => [], onInput: () => [{ after: 0, event: { _tag: "TurnStarted", turnId: "t" } }] },
          { runtime: { checkpointEvery: "20 seconds", stall: { timeoutMs: 10_000_000, baseMs: 10_000, capMs: 60_000, maxRetries: 3 } } }
        )
      )
    ))
})
