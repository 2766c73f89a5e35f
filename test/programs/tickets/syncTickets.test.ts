import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { TicketingError } from "../../../src/domain/errors.js"
import { Ticket, TicketState } from "../../../src/domain/ticket.js"
import { configFromValue } from "../../../src/layers/config/ConfigLive.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { TicketingTest, type TicketingTestOptions } from "../../../src/layers/ticketing/Test.js"
import { describeSync, syncTickets } from "../../../src/programs/tickets/syncTickets.js"
import { AppConfig } from "../../../src/services/AppConfig.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { seedAsTickets } from "../../layers/ticketing/seedTickets.js"
import { contractSeed } from "../../layers/ticketing/contract.js"

const ConfigTest = Layer.effect(AppConfig, configFromValue({ tracker: { sync_states: [] } }, "/nonexistent"))

const seeded = seedAsTickets("test", contractSeed)

/** Runs one sync (a full listing unless `full` is false) against a tracker holding `options`, on the store from the surrounding scope. */
const syncWith = (options: TicketingTestOptions, full = true) => syncTickets(undefined, { full }).pipe(Effect.provide(TicketingTest(options)))

const withStore = <A, E>(body: Effect.Effect<A, E, EventStore | AppConfig>) =>
  body.pipe(Effect.provide(Layer.merge(EventStoreTest, ConfigTest)))

describe("syncTickets", () => {
  it.effect("first sync adds every ticket and its checkpoint; a second one finds all unchanged and writes no event", () =>
    withStore(
      Effect.gen(function* () {
        const store = yield* EventStore
        const first = yield* syncWith({ tickets: seeded }, false)
        expect(first).toMatchObject({ provider: "test", new: 8, updated: 0, unchanged: 0, noLongerVisible: 0, events: 9, listing: "full" })
        const seq = yield* store.lastSeq
        const second = yield* syncWith({ tickets: seeded })
        expect(second).toMatchObject({ new: 0, updated: 0, unchanged: 8, noLongerVisible: 0, events: 0, listing: "full" })
        expect(yield* store.lastSeq).toBe(seq)
        expect(describeSync(second)).toBe("test: 0 new, 0 updated, 8 unchanged, 0 no longer visible (8 fetched)")
        // The seeds were all changed within a millisecond: an incremental sync sees them again in its overlap.
        const third = yield* syncWith({ tickets: seeded }, false)
        expect(third).toMatchObject({ unchanged: 8, events: 0, listing: "incremental" })
        expect(yield* store.lastSeq).toBe(seq)
      })
    ))

  it.effect("a changed ticket is updated, a vanished one unlisted, and a returning one listed again", () =>
    withStore(
      Effect.gen(function* () {
        const store = yield* EventStore
        yield* syncWith({ tickets: seeded })
        const [a, b, ...rest] = seeded
        if (a === undefined || b === undefined) return expect.fail("seed too small")
        const renamed = new Ticket({ ...a, title: "renamed", state: new TicketState({ name: "In Review", type: "started" }) })
        const report = yield* syncWith({ tickets: [renamed, ...rest] })
        expect(report).toMatchObject({ new: 0, updated: 1, unchanged: 6, noLongerVisible: 1 })
        expect((yield* store.tickets({ provider: "test" })).map((t) => t.id)).not.toContain(b.id)
        expect((yield* store.tickets({ provider: "test" })).find((t) => t.id === a.id)?.title).toBe("renamed")
        const back = yield* syncWith({ tickets: [renamed, b, ...rest] })
        expect(back).toMatchObject({ new: 0, updated: 1, unchanged: 7, noLongerVisible: 0 })
        expect(yield* store.tickets({ provider: "test" })).toHaveLength(8)
      })
    ))

  it.effect("a failed fetch writes nothing and leaves stored tickets as they were", () =>
    withStore(
      Effect.gen(function* () {
        const store = yield* EventStore
        yield* syncWith({ tickets: seeded })
        const seq = yield* store.lastSeq
        const down = new TicketingError({ provider: "test", operation: "list", detail: "HTTP 500" })
        const failure = yield* Effect.flip(syncWith({ listFailure: down }))
        expect(failure._tag === "TicketingError" && failure.detail).toBe("HTTP 500")
        expect(yield* store.lastSeq).toBe(seq)
        expect(yield* store.tickets({ provider: "test" })).toHaveLength(8)
      })
    ))
})
