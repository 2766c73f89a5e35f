import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import { envelope } from "../../../src/domain/bus.js"
import { SessionEvent, SessionSpawned } from "../../../src/domain/events.js"
import { SessionId } from "../../../src/domain/ids.js"
import { EventBusLive } from "../../../src/layers/eventBus/EventBusLive.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { EventBus } from "../../../src/services/EventBus.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { startStoreWriter } from "../../../src/programs/storeWriter/storeWriter.js"

const options = { flushMs: 5, busCapacity: 16, writerCapacity: 32, maxBatch: 8 }
const sid = (n: number) => SessionId.make(`s${n}`)
const spawned = (n: number) =>
  envelope(new SessionSpawned({ sessionId: sid(n), workItemId: null, ticketId: null, harness: "harness.scripted", model: null, worktreePath: `/w/${n}` }))
const delta = (n: number, item: string, text: string) =>
  envelope(new SessionEvent({ sessionId: sid(n), event: { _tag: "TextDelta", itemId: item, text } }))

const storedText = (events: ReadonlyArray<{ readonly event: { readonly _tag: string } }>) =>
  events
    .map(({ event }) => (event instanceof SessionEvent && event.event._tag === "TextDelta" ? event.event.text : ""))
    .join("")

describe("store writer", () => {
  it.live("every event several producers publish reaches the store, deltas joined without losing text", () =>
    Effect.gen(function* () {
      const bus = yield* EventBus
      const store = yield* EventStore
      const writer = yield* startStoreWriter(options)
      const producers = [1, 2, 3].map((n) =>
        Effect.gen(function* () {
          yield* bus.publish(spawned(n))
          for (let i = 0; i < 200; i++) yield* bus.publish(delta(n, `item${Math.floor(i / 50)}`, `${i % 10}`))
        })
      )
      yield* Effect.all(producers, { concurrency: "unbounded", discard: true })
      yield* writer.flush
      expect(yield* writer.written).toBe(603)
      for (const n of [1, 2, 3]) {
        const events = yield* store.events({ sessionId: sid(n) })
        expect(events[0]?.event._tag).toBe("SessionSpawned")
        expect(storedText(events)).toBe("0123456789".repeat(20))
      }
      const rows = yield* store.events({})
      // Chunks were coalesced (fewer rows than events), but each item keeps its own row.
      expect(rows.length).toBeLessThan(603)
      expect(rows.length).toBeGreaterThanOrEqual(3 + 3 * 4)
      // The producers outran the 16-slot buffer and had to wait: nothing was dropped.
      const counters = yield* bus.counters
      expect(counters.total.dropped).toBe(0)
      expect(counters.total.maxQueueDepth).toBeLessThanOrEqual(16)
    }).pipe(Effect.scoped, Effect.provide(Layer.merge(EventBusLive, EventStoreTest))))

  it.live("closing its scope writes what is still buffered", () =>
    Effect.gen(function* () {
      const bus = yield* EventBus
      const store = yield* EventStore
      yield* Effect.scoped(
        Effect.gen(function* () {
          yield* startStoreWriter({ ...options, flushMs: 200 })
          yield* bus.publishAll([spawned(1), spawned(2), spawned(3)])
        })
      )
      expect((yield* store.events({})).map((e) => e.event._tag)).toEqual(["SessionSpawned", "SessionSpawned", "SessionSpawned"])
    }).pipe(Effect.provide(Layer.merge(EventBusLive, EventStoreTest))))

  it.scoped("under steady streaming the store is written once per flush interval, the interval's chunks of an item joined", () =>
    Effect.gen(function* () {
      const bus = yield* EventBus
      const store = yield* EventStore
      yield* startStoreWriter({ ...options, flushMs: 50 })
      const settle = Effect.repeatN(Effect.yieldNow(), 50)
      const texts = Effect.map(store.events({ sessionId: sid(1) }), (rows) => rows.map(({ event }) => (event instanceof SessionEvent && "text" in event.event ? event.event.text : "")))
      // The first chunk after a quiet spell is written at once.
      yield* bus.publish(delta(1, "m", "a"))
      yield* settle
      expect(yield* texts).toEqual(["a"])
      // Chunks that follow wait out the interval together.
      for (const text of ["b", "c", "d"]) {
        yield* TestClock.adjust("10 millis")
        yield* bus.publish(delta(1, "m", text))
        yield* settle
      }
      expect(yield* texts).toEqual(["a"])
      yield* TestClock.adjust("20 millis")
      yield* settle
      expect(yield* texts).toEqual(["a", "bcd"])
    }).pipe(Effect.provide(Layer.merge(EventBusLive, EventStoreTest))))
})
