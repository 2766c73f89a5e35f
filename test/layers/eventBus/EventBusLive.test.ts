import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"
import { type BusDelivery, envelope, skipMarkerText } from "../../../src/domain/bus.js"
import { SessionEvent, SessionStateChanged } from "../../../src/domain/events.js"
import { SessionId } from "../../../src/domain/ids.js"
import type { WorkerEvent } from "../../../src/domain/workerEvent.js"
import { makeEventBus } from "../../../src/layers/eventBus/EventBusLive.js"

const s1 = SessionId.make("s1")
const s2 = SessionId.make("s2")
const ev = (sessionId: SessionId, event: WorkerEvent) => envelope(new SessionEvent({ sessionId, event }))
const delta = (sessionId: SessionId, itemId: string, text: string) => ev(sessionId, { _tag: "TextDelta", itemId, text })
const message = (sessionId: SessionId, n: number) => ev(sessionId, { _tag: "Message", itemId: `m${n}`, text: `${n}` })

const texts = (deliveries: ReadonlyArray<BusDelivery>) =>
  deliveries.map((d) =>
    d._tag === "Skipped"
      ? skipMarkerText(d.count)
      : d.envelope.event._tag === "SessionEvent" && "text" in d.envelope.event.event
        ? d.envelope.event.event.text
        : d.envelope.event._tag
  )

describe("EventBus", () => {
  it.scoped("a lossless subscriber gets every event in order and the producer waits when it is full", () =>
    Effect.gen(function* () {
      const bus = yield* makeEventBus
      const sub = yield* bus.subscribe({ name: "store", policy: "lossless", capacity: 2 })
      const producer = yield* Effect.fork(Effect.forEach([1, 2, 3, 4, 5], (n) => bus.publish(message(s1, n)), { discard: true }))
      yield* TestClock.adjust("1 second")
      // Two fit; the third blocks the producer until the reader makes room.
      expect(producer.unsafePoll()).toBeNull()
      expect((yield* bus.counters).total.published).toBe(3)
      const got: Array<string> = []
      while (got.length < 5) got.push(...texts(yield* sub.take(10)))
      yield* Fiber.join(producer)
      expect(got).toEqual(["1", "2", "3", "4", "5"])
      const c = (yield* bus.counters).total
      expect(c).toMatchObject({ published: 5, delivered: 5, dropped: 0, coalesced: 0, maxQueueDepth: 2 })
      expect(c.producerWaitMillis).toBeGreaterThanOrEqual(1000)
    }))

  it.scoped("a latest subscriber coalesces deltas of the same item and never blocks the producer", () =>
    Effect.gen(function* () {
      const bus = yield* makeEventBus
      const ui = yield* bus.subscribe({ name: "ui", policy: "latest", capacity: 4 })
      yield* bus.publishAll([delta(s1, "a", "he"), delta(s1, "a", "llo"), delta(s1, "b", "x"), delta(s1, "a", "!")])
      expect(texts(yield* ui.take(10))).toEqual(["hello", "x", "!"])
      expect((yield* bus.counters).total).toMatchObject({ published: 4, delivered: 3, coalesced: 1, dropped: 0 })
    }))

  it.scoped("a latest subscriber that falls behind loses the oldest and sees how many were skipped", () =>
    Effect.gen(function* () {
      const bus = yield* makeEventBus
      const ui = yield* bus.subscribe({ name: "ui", policy: "latest", capacity: 3 })
      yield* Effect.forEach([1, 2, 3, 4, 5, 6, 7], (n) => bus.publish(message(s1, n)), { discard: true })
      expect(texts(yield* ui.take(10))).toEqual(["4 events skipped", "5", "6", "7"])
      yield* bus.publish(message(s1, 8))
      expect(texts(yield* ui.take(10))).toEqual(["8"])
      const snapshot = yield* bus.counters
      expect(snapshot.total).toMatchObject({ dropped: 4, delivered: 4, maxQueueDepth: 3 })
      expect(snapshot.subscribers[0]).toMatchObject({ name: "ui", policy: "latest", depth: 0, capacity: 3 })
    }))

  it.scoped("a per-session subscriber sees only its session; a global one sees all", () =>
    Effect.gen(function* () {
      const bus = yield* makeEventBus
      const one = yield* bus.subscribe({ name: "s1", policy: "lossless", capacity: 10, sessionId: s1 })
      const all = yield* bus.subscribe({ name: "all", policy: "lossless", capacity: 10 })
      yield* bus.publishAll([
        message(s1, 1),
        message(s2, 2),
        envelope(new SessionStateChanged({ sessionId: s2, from: "Running", to: "Idle", reason: "r" }))
      ])
      expect(texts(yield* one.take(10))).toEqual(["1"])
      expect(texts(yield* all.take(10))).toEqual(["1", "2", "SessionStateChanged"])
    }))

  it.effect("closing a lossless subscription releases a producer waiting on it", () =>
    Effect.gen(function* () {
      const bus = yield* makeEventBus
      const producer = yield* Effect.scoped(
        Effect.gen(function* () {
          yield* bus.subscribe({ name: "store", policy: "lossless", capacity: 1 })
          const fiber = yield* Effect.fork(bus.publishAll([message(s1, 1), message(s1, 2), message(s1, 3)]))
          yield* TestClock.adjust("10 millis")
          expect(fiber.unsafePoll()).toBeNull()
          return fiber
        })
      )
      yield* Fiber.join(producer)
      expect((yield* bus.counters).total.published).toBe(3)
    }))

  it.scoped("a filter that follows the subscriber's state: refused events are never buffered, counted or delivered", () =>
    Effect.gen(function* () {
      const bus = yield* makeEventBus
      let watched = s1
      const ui = yield* bus.subscribe({
        name: "ui",
        policy: "latest",
        capacity: 10,
        filter: (item) => item.event._tag !== "SessionEvent" || item.sessionId === watched
      })
      const store = yield* bus.subscribe({ name: "store", policy: "lossless", capacity: 10 })
      yield* bus.publishAll([message(s1, 1), message(s2, 2), envelope(new SessionStateChanged({ sessionId: s2, from: "Running", to: "Idle", reason: "r" }))])
      watched = s2
      yield* bus.publishAll([message(s1, 3), message(s2, 4)])
      expect(texts(yield* ui.take(10))).toEqual(["1", "SessionStateChanged", "4"])
      expect(yield* ui.received).toBe(3)
      expect(texts(yield* store.take(10))).toEqual(["1", "2", "SessionStateChanged", "3", "4"])
      const snapshot = yield* bus.counters
      expect(snapshot.subscribers.find((c) => c.name === "ui")).toMatchObject({ delivered: 3, dropped: 0, maxQueueDepth: 3 })
    }))

  it.scoped("a batch larger than a lossless buffer: all of it counts as received at once, the rest is placed in order as room appears", () =>
    Effect.gen(function* () {
      const bus = yield* makeEventBus
      const store = yield* bus.subscribe({ name: "store", policy: "lossless", capacity: 3 })
      const ui = yield* bus.subscribe({ name: "ui", policy: "latest", capacity: 10 })
      const producer = yield* Effect.fork(bus.publishAll([1, 2, 3, 4, 5, 6, 7].map((n) => message(s1, n))))
      yield* TestClock.adjust("1 second")
      expect(producer.unsafePoll()).toBeNull()
      // A flush that waits for `received` covers the whole batch, not only what fitted.
      expect(yield* store.received).toBe(7)
      // Other subscribers are not held up by the full one.
      expect(texts(yield* ui.takeNow(10))).toEqual(["1", "2", "3", "4", "5", "6", "7"])
      const got: Array<string> = []
      while (got.length < 7) got.push(...texts(yield* store.take(2)))
      yield* Fiber.join(producer)
      expect(got).toEqual(["1", "2", "3", "4", "5", "6", "7"])
      const c = (yield* bus.counters).subscribers.find((s) => s.name === "store")
      expect(c).toMatchObject({ delivered: 7, depth: 0, maxQueueDepth: 3 })
      expect(c?.producerWaitMillis).toBeGreaterThanOrEqual(1000)
    }))
})
