import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"
import { StoreError } from "../../../src/domain/errors.js"
import { SessionEvent, SessionStateChanged } from "../../../src/domain/events.js"
import { makeBatchedWriter } from "../../../src/programs/storeWriter/batchedWriter.js"
import { coalesceChunks } from "../../../src/programs/storeWriter/coalesce.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { sessionId, startedWork, textDelta } from "../../support/sampleEvents.js"

const texts = (events: ReadonlyArray<unknown>) =>
  events.map((e) => (e instanceof SessionEvent && "text" in e.event ? `${e.sessionId}:${e.event.text}` : "other"))

describe("coalesceChunks", () => {
  it("joins deltas of one item across other sessions' events, and stops at the session's next event", () => {
    const merged = coalesceChunks([
      textDelta(1, "Hel"),
      textDelta(2, "Bon"),
      textDelta(1, "lo"),
      textDelta(2, "jour"),
      new SessionStateChanged({ sessionId: sessionId(1), from: "Running", to: "Idle", reason: "turn completed" }),
      textDelta(1, "!"),
      textDelta(1, "?", "msg-2")
    ])
    expect(texts(merged)).toEqual(["ses-1:Hello", "ses-2:Bonjour", "other", "ses-1:!", "ses-1:?"])
  })
})

describe("BatchedWriter", () => {
  it.scoped("writes nothing before the flush interval, then one coalesced batch", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const writer = yield* makeBatchedWriter({ flushMs: 50, capacity: 1000, maxBatch: 256 })
      yield* writer.writeAll(startedWork(1).slice(0, 4))
      for (const chunk of ["a", "b", "c"]) yield* writer.write(textDelta(1, chunk))
      yield* TestClock.adjust("10 millis")
      expect(yield* store.lastSeq).toBe(0)
      yield* TestClock.adjust("50 millis")
      const flushed = yield* Effect.fork(writer.flush)
      yield* TestClock.adjust("50 millis")
      yield* Fiber.join(flushed)
      const all = yield* store.events({})
      expect(all).toHaveLength(5)
      expect(texts(all.slice(4).map((s) => s.event))).toEqual(["ses-1:abc"])
    }).pipe(Effect.provide(EventStoreTest))
  )

  it.effect("closing its scope writes everything still queued", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      yield* Effect.scoped(
        Effect.gen(function* () {
          const writer = yield* makeBatchedWriter({ flushMs: 10_000, capacity: 10, maxBatch: 4 })
          yield* writer.writeAll(startedWork(1).slice(0, 4))
          yield* writer.write(textDelta(1, "last words"))
        })
      )
      expect(texts((yield* store.events({})).slice(4).map((s) => s.event))).toEqual(["ses-1:last words"])
    }).pipe(Effect.provide(EventStoreTest))
  )
})

describe("BatchedWriter shutdown", () => {
  it.live("loses no event handed over just before its scope closes", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      for (let round = 0; round < 20; round++) {
        yield* Effect.scoped(
          Effect.gen(function* () {
            const writer = yield* makeBatchedWriter({ flushMs: 60_000, capacity: 10, maxBatch: 4 })
            yield* writer.write(textDelta(1, `r${round}`))
          })
        )
      }
      expect(yield* store.lastSeq).toBe(20)
    }).pipe(Effect.provide(EventStoreTest))
  )

  it.scoped("holds events while the store is away and writes each once when it answers again; a flush waits for that", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      let away = true
      let appends = 0
      const unreachable = new StoreError({ operation: "append", detail: "connect ECONNREFUSED 127.0.0.1:5432" })
      const flaky = {
        ...store,
        append: (events: Parameters<typeof store.append>[0]) =>
          Effect.suspend(() => {
            appends++
            // Some tries die (a ROLLBACK on a dropped connection is a defect in @effect/sql): the writer goes on.
            return away ? (appends % 3 === 0 ? Effect.die(unreachable) : Effect.fail(unreachable)) : store.append(events)
          }),
        lastSeq: Effect.suspend(() => (away ? Effect.fail(unreachable) : store.lastSeq))
      }
      const writer = yield* makeBatchedWriter({ flushMs: 10, capacity: 100, maxBatch: 2 }).pipe(Effect.provideService(EventStore, flaky))
      yield* writer.writeAll(startedWork(1).slice(0, 4))
      const flushed = yield* Effect.fork(writer.flush)
      // A minute of a server restarting: tried again and again, nothing written, the flush still waits.
      for (let i = 0; i < 12; i++) yield* TestClock.adjust("5 seconds")
      expect(yield* store.lastSeq).toBe(0)
      expect(appends).toBeGreaterThan(10)
      expect(flushed.unsafePoll()).toBeNull()
      away = false
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(flushed)
      // Four events in two batches, each written once.
      expect((yield* store.events({})).map((stored) => stored.event._tag)).toEqual(startedWork(1).slice(0, 4).map((event) => event._tag))
    }).pipe(Effect.provide(EventStoreTest))
  )

  it.scoped("gives up a batch the store refuses while it answers, and goes on with the next", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const refusing = {
        ...store,
        append: (events: Parameters<typeof store.append>[0]) =>
          events.some((event) => event instanceof SessionEvent)
            ? Effect.fail(new StoreError({ operation: "append", detail: "refused" }))
            : store.append(events)
      }
      const writer = yield* makeBatchedWriter({ flushMs: 10, capacity: 100, maxBatch: 256 }).pipe(Effect.provideService(EventStore, refusing))
      yield* writer.write(textDelta(1, "refused"))
      const first = yield* Effect.fork(writer.flush)
      for (let i = 0; i < 10; i++) yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(first)
      yield* writer.writeAll(startedWork(1).slice(0, 2))
      const second = yield* Effect.fork(writer.flush)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(second)
      expect(yield* store.lastSeq).toBe(2)
    }).pipe(Effect.provide(EventStoreTest))
  )
})
