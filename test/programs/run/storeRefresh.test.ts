import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Stream, SubscriptionRef } from "effect"
import { defaultWorkflowStateMap } from "../../../src/domain/config.js"
import { TicketSynced } from "../../../src/domain/events.js"
import { TicketId } from "../../../src/domain/ids.js"
import { Ticket, TicketState } from "../../../src/domain/ticket.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { makeLocal } from "../../../src/layers/ticketing/Local.js"
import { makeUiBridge } from "../../../src/programs/run/bridge.js"
import type { ViewModel } from "../../../src/programs/view/viewModel.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { Ticketing } from "../../../src/services/Ticketing.js"
import { runtimeLayer } from "../../layers/runtime/fixture.js"
import { testWorkflowLayer } from "./testWorkflow.js"

const layer = testWorkflowLayer("").pipe(
  Layer.provideMerge(Layer.effect(Ticketing, makeLocal(defaultWorkflowStateMap))),
  Layer.provideMerge(runtimeLayer({ script: () => [] })),
  Layer.provideMerge(EventStoreTest)
)

const options = {
  transcriptLineLimit: 100,
  pickerStates: ["Todo"],
  backgroundRefresh: "20 millis",
  renderInterval: "10 millis",
  streamInterval: "10 millis",
  focusedWorkRefresh: "20 millis",
  busCapacity: 1024
} as const

const ticket = (n: number) =>
  new Ticket({
    id: TicketId.make(`local:${n}`),
    provider: "local",
    identifier: `LOCAL-${n}`,
    title: `Ticket ${n}`,
    description: "",
    state: new TicketState({ name: "Todo", type: "unstarted" }),
    priority: 0,
    labels: [],
    assignee: null,
    project: "demo",
    team: null,
    url: null,
    updatedAt: n
  })

const waitFor = (model: SubscriptionRef.SubscriptionRef<ViewModel>, check: (vm: ViewModel) => boolean) =>
  model.changes.pipe(
    Stream.filter(check),
    Stream.runHead,
    Effect.flatMap(Option.match({ onNone: () => Effect.die("model stream ended"), onSome: Effect.succeed })),
    Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => new Error("the view model never matched") })
  )

describe("the screen's background refresh", () => {
  it.live("picks up a ticket appended after start, and reads no projection while nothing changes", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      yield* store.append([new TicketSynced({ ticket: ticket(1) })])
      // Every projection read the bridge makes, by name.
      const reads: Array<string> = []
      const counted = EventStore.of({
        ...store,
        sessions: (filter) => Effect.zipRight(Effect.sync(() => reads.push("sessions")), store.sessions(filter)),
        tickets: (filter) => Effect.zipRight(Effect.sync(() => reads.push("tickets")), store.tickets(filter)),
        workItems: Effect.zipRight(Effect.sync(() => reads.push("workItems")), store.workItems),
        inbox: (filter) => Effect.zipRight(Effect.sync(() => reads.push("inbox")), store.inbox(filter))
      })
      const bridge = yield* makeUiBridge(options).pipe(Effect.provideService(EventStore, counted))
      // The first frame's lists come without the tickets; those follow at once, without waiting for an interval.
      expect(reads.sort()).toEqual(["inbox", "sessions", "workItems"])
      const first = yield* waitFor(bridge.model, (vm) => vm.tickets.length === 1)
      expect(first.tickets.map((t) => t.identifier)).toEqual(["LOCAL-1"])
      expect(reads.sort()).toEqual(["inbox", "sessions", "tickets", "workItems"])

      // Ten refresh intervals with nothing appended: no projection is read again.
      reads.length = 0
      yield* Effect.sleep("200 millis")
      expect(reads).toEqual([])

      // A ticket appended by someone else (a sync, another command) shows within a refresh; only
      // the projections a TicketSynced can change are read (sessions join the ticket's key).
      yield* store.append([new TicketSynced({ ticket: ticket(2) })])
      const updated = yield* waitFor(bridge.model, (vm) => vm.tickets.length === 2)
      expect(updated.tickets.map((t) => t.identifier).sort()).toEqual(["LOCAL-1", "LOCAL-2"])
      yield* Effect.sleep("100 millis")
      expect([...new Set(reads)].sort()).toEqual(["sessions", "tickets"])
      expect(reads.filter((r) => r === "tickets")).toHaveLength(1)
    }).pipe(Effect.scoped, Effect.provide(layer))
  )
})
