import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { defaultWorkflowStateMap } from "../../../src/domain/config.js"
import { TicketSynced } from "../../../src/domain/events.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { makeLocal } from "../../../src/layers/ticketing/Local.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { ticketingContract } from "./contract.js"
import { seedAsTickets } from "./seedTickets.js"

const localWith = (seed: Parameters<typeof seedAsTickets>[1]) =>
  Effect.gen(function* () {
    const context = yield* Layer.build(EventStoreTest)
    const store = yield* Effect.provide(EventStore, context)
    yield* store.append(seedAsTickets("local", seed).map((ticket) => new TicketSynced({ ticket })))
    const tracker = yield* Effect.provide(makeLocal(defaultWorkflowStateMap), context)
    return { store, tracker }
  })

ticketingContract("local", (seed) => Effect.map(localWith(seed), ({ tracker }) => tracker))

describe("Local provider", () => {
  it.scopedLive("numbers new tickets after the highest one ever used and keeps them as TicketSynced events", () =>
    Effect.gen(function* () {
      const { store, tracker } = yield* localWith([])
      const a = yield* tracker.create({ title: "first", description: "", project: "web" })
      const b = yield* tracker.create({ title: "second", description: "", project: null })
      expect([a.id, b.id]).toEqual(["local:1", "local:2"])
      expect(a).toMatchObject({ identifier: "LOCAL-1", project: "web", state: { name: "Todo", type: "unstarted" } })
      const events = yield* store.events({ types: ["TicketSynced"] })
      expect(events.map((e) => (e.event._tag === "TicketSynced" ? e.event.ticket.title : ""))).toEqual(["first", "second"])
    }))

  it.scopedLive("concurrent adds never share a number", () =>
    Effect.gen(function* () {
      const { tracker } = yield* localWith([])
      const made = yield* Effect.forEach(
        Array.from({ length: 8 }, (_, i) => i),
        (i) => tracker.create({ title: `t${i}`, description: "", project: null }),
        { concurrency: "unbounded" }
      )
      expect(new Set(made.map((t) => t.id)).size).toBe(8)
    }))

  it.scopedLive("comments and links are recorded as TrackerUpdated events", () =>
    Effect.gen(function* () {
      const { store, tracker } = yield* localWith([])
      const t = yield* tracker.create({ title: "x", description: "", project: null })
      yield* tracker.addComment(t.id, "summary")
      yield* tracker.attachLink(t.id, "https://github.com/a/b/pull/1", "PR #1")
      const updates = yield* store.events({ types: ["TrackerUpdated"] })
      expect(updates.map((e) => (e.event._tag === "TrackerUpdated" ? [e.event.action, e.event.detail] : []))).toEqual([
        ["comment", "summary"],
        ["link", "PR #1"]
      ])
    }))
})
