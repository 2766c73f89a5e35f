import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { HarnessBound, SessionSpawned, SessionStateChanged } from "../../../src/domain/events.js"
import { SessionId } from "../../../src/domain/ids.js"
import type { SessionState } from "../../../src/domain/session.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { ScriptedHarnessLog, now, scriptedHarness } from "../../../src/layers/harness/Scripted.js"
import { rehydrate } from "../../../src/programs/engine/rehydrate.js"
import { startStoreWriter } from "../../../src/programs/storeWriter/storeWriter.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { Harness } from "../../../src/services/Harness.js"
import { SessionRuntime } from "../../../src/services/SessionRuntime.js"
import { EventBusLive } from "../../../src/layers/eventBus/EventBusLive.js"
import { sessionRuntimeLayer } from "../../../src/layers/runtime/SessionRuntimeLive.js"
import { schedulerLayer } from "../../../src/layers/scheduler/SchedulerLive.js"
import type { SessionSpec } from "../../../src/services/Harness.js"
import { runtimeLayer, testRuntimeOptions } from "../../layers/runtime/fixture.js"

const sid = (name: string) => SessionId.make(name)

/** What the store held when the previous orchestrator died: one session per case. */
const seed = (name: string, states: ReadonlyArray<SessionState>, bound: string | null, harness: "harness.scripted" | "harness.codex" = "harness.scripted") => [
  new SessionSpawned({ sessionId: sid(name), workItemId: null, ticketId: null, harness, model: "m", worktreePath: `/work/${name}` }),
  ...(bound === null ? [] : [new HarnessBound({ sessionId: sid(name), harness, harnessSessionId: bound })]),
  ...states.slice(1).map((to, i) => new SessionStateChanged({ sessionId: sid(name), from: states[i]!, to, reason: "before the restart" }))
]

const layer = runtimeLayer({
  script: () => [],
  onResume: (spec, harnessSessionId) =>
    harnessSessionId === "thread-gone" ? "thread thread-gone not found" : [now({ _tag: "Message", itemId: "r", text: `back in ${spec.worktreePath}` })]
}).pipe(Layer.provideMerge(EventStoreTest))

describe("rehydrate", () => {
  // Live clock: the batched writer waits `flushMs` for real.
  it.live("resumes every live session through the harness with its stored id, or records why it cannot", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const runtime = yield* SessionRuntime
      yield* store.append([
        ...seed("running", ["Starting", "Running"], "thread-1"),
        ...seed("asking", ["Starting", "Running", "WaitingForUser"], "thread-2"),
        ...seed("unbound", ["Starting"], null),
        ...seed("gone", ["Starting", "Idle"], "thread-gone"),
        ...seed("other", ["Starting", "Idle"], "ses_1", "harness.codex"),
        ...seed("finished", ["Starting", "Running", "Done"], "thread-3")
      ])
      const writer = yield* startStoreWriter({ flushMs: 1, busCapacity: 64, writerCapacity: 64, maxBatch: 64 })

      // A harness whose agents outlive the run (a cluster's runners) is told which starts were abandoned.
      const abandoned: Array<string> = []
      const report = yield* rehydrate({ approvalPolicy: "on-request", sandbox: "workspace-write" }).pipe(
        Effect.updateService(Harness, (harness) => ({
          ...harness,
          abandon: (session: { readonly sessionId: string; readonly worktreePath: string }) =>
            Effect.sync(() => abandoned.push(`${session.sessionId} ${session.worktreePath}`))
        }))
      )
      yield* writer.flush
      expect(abandoned).toEqual(["unbound /work/unbound"])

      expect([...report.resumed].sort()).toEqual(["asking", "running"])
      expect([...report.crashed].sort((a, b) => a.sessionId.localeCompare(b.sessionId))).toEqual([
        { sessionId: "gone", reason: "resume failed: harness.scripted: resume failed: thread thread-gone not found" },
        { sessionId: "other", reason: "restart: it ran on harness.codex, but this run uses harness.scripted" },
        { sessionId: "unbound", reason: "restart: no harness session was recorded, so it cannot be resumed" }
      ])
      const states = Object.fromEntries((yield* store.sessions({})).map((row) => [row.id, row.state]))
      expect(states).toEqual({ running: "Idle", asking: "WaitingForUser", unbound: "Crashed", gone: "Crashed", other: "Crashed", finished: "Done" })
      const resumes = (yield* (yield* ScriptedHarnessLog).calls).filter((c) => c.op === "resume").map((c) => `${c.sessionId} ${c.detail}`)
      expect(resumes.sort()).toEqual(["asking thread-2", "gone thread-gone", "running thread-1"])
      // Nothing was spawned anew, and the resumed sessions keep streaming into the store.
      expect((yield* (yield* ScriptedHarnessLog).calls).some((c) => c.op === "spawn")).toBe(false)
      const after = yield* store.events({ sessionId: sid("running"), types: ["SessionEvent"] })
      expect(after.map((e) => e.event._tag === "SessionEvent" && e.event.event._tag === "Message" && e.event.event.text)).toEqual(["back in /work/running"])
      expect((yield* runtime.sessions).map((s) => s.sessionId).sort()).toEqual(["asking", "running"])
    }).pipe(Effect.scoped, Effect.provide(layer)))

  // A coordinator that comes back finds a runner's agent still mid-turn: nothing was lost.
  const keptLayer = (() => {
    const base = Layer.mergeAll(EventBusLive, schedulerLayer({ maxConcurrentSessions: 4, maxWaitingStarts: 8 }), scriptedHarness({ script: () => [] }))
    const kept = Layer.effect(
      Harness,
      Effect.map(Harness, (harness) => ({
        ...harness,
        resume: (spec: SessionSpec, harnessSessionId: string) =>
          Effect.map(harness.resume(spec, harnessSessionId), (handle) => ({ ...handle, kept: { turnRunning: true, unread: 3, inputWaiting: false } }))
      }))
    )
    return sessionRuntimeLayer(testRuntimeOptions).pipe(Layer.provideMerge(Layer.provideMerge(kept, base)), Layer.provideMerge(EventStoreTest))
  })()

  it.live("a session whose agent a runner kept mid-turn stays Running: its turn goes on", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const runtime = yield* SessionRuntime
      yield* store.append(seed("kept", ["Starting", "Running"], "thread-kept"))
      const writer = yield* startStoreWriter({ flushMs: 1, busCapacity: 64, writerCapacity: 64, maxBatch: 64 })
      const report = yield* rehydrate({ approvalPolicy: "on-request", sandbox: "workspace-write" })
      yield* writer.flush
      expect(report.resumed).toEqual(["kept"])
      expect((yield* runtime.sessions).map((view) => view.state)).toEqual(["Running"])
      expect((yield* store.sessions({})).map((row) => row.state)).toEqual(["Running"])
    }).pipe(Effect.scoped, Effect.provide(keptLayer)))
})
