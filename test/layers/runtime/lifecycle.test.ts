import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { ScriptedHarnessLog, at, now } from "../../../src/layers/harness/Scripted.js"
import { Scheduler } from "../../../src/services/Scheduler.js"
import { SessionRuntime } from "../../../src/services/SessionRuntime.js"
import { recordBus, request, runtimeLayer, settle, sid, stateChanges } from "./fixture.js"

/** Input 1 (the prompt) plays a whole turn; later inputs each play what the test needs. */
const conversation = runtimeLayer({
  script: () => [],
  onInput: (_spec, _text, count) => {
    switch (count) {
      case 1:
        return [
          at("1 second", { _tag: "TurnStarted", turnId: "t1" }),
          now({ _tag: "TextDelta", itemId: "m1", text: "planning" }),
          at("1 second", { _tag: "TurnCompleted", turnId: "t1", status: "completed", usage: { input: 10, output: 5, total: 15 }, error: null })
        ]
      case 2:
        return [
          now({ _tag: "TurnStarted", turnId: "t2" }),
          now({ _tag: "NeedsInput", requestId: "q1", questions: [{ id: "db", question: "Which database?", options: [{ label: "sqlite", description: null }] }] })
        ]
      case 3:
        return [now({ _tag: "ApprovalRequested", requestId: "a1", kind: "command", subject: "npm test", cwd: "/work/a", reason: null })]
      default:
        return [now({ _tag: "TurnCompleted", turnId: "t2", status: "completed", usage: null, error: null }), now({ _tag: "Done", reason: "ticket finished" })]
    }
  }
})

describe("session lifecycle", () => {
  it.scoped("Starting → Running → Idle (a finished turn is not done) ⇄ WaitingForUser → Running → Done", () =>
    Effect.gen(function* () {
      const runtime = yield* SessionRuntime
      const events = yield* recordBus
      const a = sid("a")
      expect((yield* runtime.start(request("a", "plan the work"))).state).toBe("Running")
      yield* TestClock.adjust("2 seconds")
      yield* settle
      expect(Option.map(yield* runtime.session(a), (s) => s.state)).toEqual(Option.some("Idle"))

      yield* runtime.sendInput(a, "go on")
      yield* settle
      expect(Option.map(yield* runtime.session(a), (s) => s.state)).toEqual(Option.some("WaitingForUser"))
      yield* runtime.answerInput(a, "q1", { db: "sqlite" })
      yield* runtime.sendInput(a, "keep going")
      yield* settle
      yield* runtime.answerApproval(a, "a1", "accept")
      yield* runtime.sendInput(a, "finish")
      yield* settle

      const all = yield* events
      expect(stateChanges(all, "a")).toEqual([
        "Starting->Running",
        "Running->Idle",
        "Idle->Running",
        "Running->WaitingForUser",
        "WaitingForUser->Running",
        "Running->WaitingForUser",
        "WaitingForUser->Running",
        "Running->Idle",
        "Idle->Done"
      ])
      expect(all.map((e) => e._tag)).toContain("HarnessBound")
      const inbox = all.flatMap((e) => (e._tag === "InboxItemCreated" ? [[e.lane, e.title, e.requestId]] : []))
      expect(inbox).toEqual([
        ["decide", "Which database?", "q1"],
        ["approvals", "Approve command: npm test", "a1"]
      ])
      expect(all.filter((e) => e._tag === "InboxItemResolved").map((e) => e._tag === "InboxItemResolved" && e.resolution)).toEqual([
        "answered",
        "accept"
      ])
      const log = yield* (yield* ScriptedHarnessLog).calls
      expect(log.map((c) => `${c.op} ${c.detail}`)).toEqual([
        "spawn /work/a",
        "input plan the work",
        "input go on",
        'answerInput q1 {"db":"sqlite"}',
        "input keep going",
        "answerApproval a1 accept",
        "input finish"
      ])
      // Done released the concurrency slot and refuses further input.
      expect((yield* (yield* Scheduler).slots).running).toEqual([])
      const refused = yield* Effect.flip(runtime.sendInput(a, "more"))
      expect(refused.message).toBe("session a has ended (Done)")
    }).pipe(Effect.provide(conversation)))

  it.scoped("terminal states are sticky: the first wins over a later kill or crash", () =>
    Effect.gen(function* () {
      const runtime = yield* SessionRuntime
      const events = yield* recordBus
      yield* runtime.start(request("b"))
      yield* TestClock.adjust("5 seconds")
      yield* settle
      expect(yield* Effect.flip(runtime.kill(sid("b")))).toMatchObject({ _tag: "SessionNotLive", state: "Crashed" })
      yield* runtime.markCrashed(sid("b"), "Running", "restart found it dead")
      expect(stateChanges(yield* events, "b")).toEqual(["Starting->Idle", "Idle->Running", "Running->Crashed"])
      const crashed = (yield* events).find((e) => e._tag === "SessionStateChanged" && e.to === "Crashed")
      expect(crashed).toMatchObject({ reason: "out of memory" })
    }).pipe(
      Effect.provide(
        runtimeLayer({
          script: () => [
            at("1 second", { _tag: "TurnStarted", turnId: "t1" }),
            at("1 second", { _tag: "Crashed", reason: "out of memory" }),
            at("1 second", { _tag: "Done", reason: "never seen" })
          ]
        })
      )
    ))

  it.scoped("kill makes a live session Killed, stops its harness, frees its slot, and a later Done changes nothing", () =>
    Effect.gen(function* () {
      const runtime = yield* SessionRuntime
      const events = yield* recordBus
      yield* runtime.start(request("c", "work"))
      yield* TestClock.adjust("1 second")
      yield* runtime.kill(sid("c"))
      yield* TestClock.adjust("10 seconds")
      expect(stateChanges(yield* events, "c")).toEqual(["Starting->Running", "Running->Killed"])
      expect((yield* (yield* ScriptedHarnessLog).calls).map((c) => c.op)).toEqual(["spawn", "input", "kill"])
      expect((yield* (yield* Scheduler).slots).running).toEqual([])
      // The TurnStarted emitted before the kill was still stored; the Done scheduled after it was not.
      const worker = (yield* events).flatMap((e) => (e._tag === "SessionEvent" ? [e.event._tag] : []))
      expect(worker).toEqual(["TurnStarted"])
    }).pipe(
      Effect.provide(
        runtimeLayer({
          script: () => [],
          onInput: () => [at("1 second", { _tag: "TurnStarted", turnId: "t1" }), at("5 seconds", { _tag: "Done", reason: "late" })]
        })
      )
    ))

  it.scoped("a harness stream that ends without Done leaves the session Crashed with the reason", () =>
    Effect.gen(function* () {
      const runtime = yield* SessionRuntime
      const events = yield* recordBus
      yield* runtime.start(request("d"))
      yield* settle
      expect(stateChanges(yield* events, "d")).toEqual(["Starting->Idle", "Idle->Running", "Running->Crashed"])
      expect((yield* events).at(-1)).toMatchObject({ to: "Crashed", reason: "the harness event stream ended without Done" })
    }).pipe(
      Effect.provide(
        runtimeLayer({ script: () => [now({ _tag: "TurnStarted", turnId: "t1" })], exitAfterScript: true })
      )
    ))
})
