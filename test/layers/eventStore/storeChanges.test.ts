import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { SessionSpawned, SessionStateChanged, TicketSynced, WorkflowTransition, WorkItemCreated } from "../../../src/domain/events.js"
import { SessionId, WorkItemId } from "../../../src/domain/ids.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { sampleTicket, ticketId } from "../../support/sampleEvents.js"

const spawned = (n: number) =>
  new SessionSpawned({ sessionId: SessionId.make(`ses-${n}`), workItemId: null, ticketId: null, harness: "harness.scripted", model: null, worktreePath: "/tmp" })

describe("reads bounded by what changed or is live", () => {
  it.effect("changesSince names the kinds of events appended after a seq and the newest seq", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      expect(yield* store.changesSince(0)).toEqual({ lastSeq: 0, types: new Set() })
      yield* store.append([new TicketSynced({ ticket: sampleTicket(1) }), spawned(1)])
      const at = yield* store.lastSeq
      expect(yield* store.changesSince(0)).toEqual({ lastSeq: at, types: new Set(["TicketSynced", "SessionSpawned"]) })
      expect(yield* store.changesSince(at)).toEqual({ lastSeq: at, types: new Set() })
      yield* store.append([new SessionStateChanged({ sessionId: SessionId.make("ses-1"), from: "Starting", to: "Running", reason: "up" })])
      expect(yield* store.changesSince(at)).toEqual({ lastSeq: at + 1, types: new Set(["SessionStateChanged"]) })
    }).pipe(Effect.provide(EventStoreTest)))

  it.effect("sessions({ live: true }) leaves out every ended session", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      yield* store.append([spawned(1), spawned(2), spawned(3), spawned(4)])
      const end = (n: number, to: "Done" | "Crashed" | "Killed") =>
        new SessionStateChanged({ sessionId: SessionId.make(`ses-${n}`), from: "Starting", to, reason: "ended" })
      yield* store.append([end(1, "Done"), end(2, "Crashed"), end(3, "Killed")])
      expect((yield* store.sessions({ live: true })).map((s) => s.id)).toEqual(["ses-4"])
      expect(yield* store.sessions({})).toHaveLength(4)
    }).pipe(Effect.provide(EventStoreTest)))

  it.effect("workItemsIn reads the work items in the given states only", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const created = (n: number) => new WorkItemCreated({ workItemId: WorkItemId.make(`wi-${n}`), ticketId: ticketId(n), repoPath: "/repo" })
      const move = (n: number, from: "New" | "Planning", to: "Planning" | "Abandoned") =>
        new WorkflowTransition({ workItemId: WorkItemId.make(`wi-${n}`), from, to, reason: "test" })
      yield* store.append([created(1), created(2), created(3), move(2, "New", "Planning"), move(3, "New", "Abandoned")])
      expect((yield* store.workItemsIn(["New", "Planning"])).map((w) => w.id)).toEqual(["wi-1", "wi-2"])
      expect((yield* store.workItemsIn(["Abandoned"])).map((w) => w.id)).toEqual(["wi-3"])
      expect(yield* store.workItemsIn([])).toEqual([])
    }).pipe(Effect.provide(EventStoreTest)))
})
