import { type Chunk, Clock, Effect, Layer, Option, Queue, type Scope } from "effect"
import type { BusCounters, BusDelivery, BusEnvelope, BusSnapshot, SubscriberCounters } from "../../domain/bus.js"
import type { SessionId } from "../../domain/ids.js"
import { type BusSubscription, EventBus, type SubscribeOptions } from "../../services/EventBus.js"
import { LatestBuffer } from "./latestBuffer.js"

type Filter = (item: BusEnvelope) => boolean

interface LosslessSubscriber {
  readonly policy: "lossless"
  readonly name: string
  readonly sessionId: SessionId | null
  readonly filter: Filter | null
  readonly queue: Queue.Queue<BusEnvelope>
  /** Open while the queue may hold something; takers wait on it instead of on the queue (see `takeLossless`). */
  readonly ready: Effect.Latch
  readonly capacity: number
  received: number
  delivered: number
  maxDepth: number
  waitNanos: bigint
}

interface LatestSubscriber {
  readonly policy: "latest"
  readonly name: string
  readonly sessionId: SessionId | null
  readonly filter: Filter | null
  readonly buffer: LatestBuffer
}

type Subscriber = LosslessSubscriber | LatestSubscriber

const matches = (subscriber: Subscriber, item: BusEnvelope): boolean =>
  (subscriber.sessionId === null || subscriber.sessionId === item.sessionId) && (subscriber.filter === null || subscriber.filter(item))

const nanosToMillis = (nanos: bigint): number => Number(nanos) / 1_000_000

/** Buffered items plus those producers wait to place. */
const sizeOf = (subscriber: LosslessSubscriber): number => Option.getOrElse(subscriber.queue.unsafeSize(), () => 0)

/** Buffered items only: the queue's own size also counts producers suspended on it. */
const depthOf = (subscriber: LosslessSubscriber): number =>
  Math.max(0, Math.min(subscriber.capacity, sizeOf(subscriber)))

/**
 * Waits for items, then takes what is there. A fiber interrupted inside `Queue.take` can lose the
 * item handed to it; waiting on a latch and taking synchronously afterwards loses nothing.
 */
const takeLossless = (subscriber: LosslessSubscriber, max: number): Effect.Effect<Chunk.Chunk<BusEnvelope>> =>
  Effect.flatMap(Queue.takeUpTo(subscriber.queue, max), (chunk) => {
    if (chunk.length > 0) return Effect.succeed(chunk)
    subscriber.ready.unsafeClose()
    if (depthOf(subscriber) > 0) return takeLossless(subscriber, max)
    return Effect.zipRight(subscriber.ready.await, takeLossless(subscriber, max))
  })

const countersOf = (subscriber: Subscriber): SubscriberCounters => {
  const base = { name: subscriber.name, policy: subscriber.policy, sessionId: subscriber.sessionId }
  if (subscriber.policy === "latest") {
    const b = subscriber.buffer
    return {
      ...base,
      capacity: b.capacity,
      depth: b.depth,
      published: 0,
      delivered: b.delivered,
      coalesced: b.coalesced,
      dropped: b.dropped,
      maxQueueDepth: b.maxDepth,
      producerWaitMillis: 0
    }
  }
  return {
    ...base,
    capacity: subscriber.capacity,
    depth: depthOf(subscriber),
    published: 0,
    delivered: subscriber.delivered,
    coalesced: 0,
    dropped: 0,
    maxQueueDepth: subscriber.maxDepth,
    producerWaitMillis: nanosToMillis(subscriber.waitNanos)
  }
}

/**
 * The bus keeps its counters in plain fields: every update happens synchronously inside one
 * `Effect.sync`, which no other fiber can interleave with, and the hot path stays allocation-light.
 */
export const makeEventBus = Effect.gen(function* () {
  const subscribers = new Set<Subscriber>()
  let published = 0
  // Counters of subscriptions already closed, so totals never go backwards.
  const retired = { delivered: 0, coalesced: 0, dropped: 0, waitNanos: 0n, maxDepth: 0 }

  /** Places what did not fit, in order, once the subscriber makes room; the producer waits meanwhile. */
  const waitForRoom = (subscriber: LosslessSubscriber, items: ReadonlyArray<BusEnvelope>) =>
    Effect.suspend(() => {
      // Closed meanwhile: nobody reads this queue any more, so there is nothing to wait for.
      if (!subscribers.has(subscriber)) return Effect.void
      return Effect.gen(function* () {
        const start = yield* Clock.currentTimeNanos
        yield* Queue.offerAll(subscriber.queue, items)
        const end = yield* Clock.currentTimeNanos
        subscriber.waitNanos += end - start
        subscriber.maxDepth = Math.max(subscriber.maxDepth, depthOf(subscriber))
        subscriber.ready.unsafeOpen()
      })
    })

  /**
   * Hands every item to every matching subscriber at once. A full lossless buffer keeps the rest of
   * its items aside (in order); the returned effect waits until they are placed, or is void.
   */
  const dispatch = (items: ReadonlyArray<BusEnvelope>): Effect.Effect<void> => {
    let overflow: Map<LosslessSubscriber, Array<BusEnvelope>> | undefined
    for (const item of items) {
      published++
      for (const subscriber of subscribers) {
        if (!matches(subscriber, item)) continue
        if (subscriber.policy === "latest") {
          subscriber.buffer.offer(item)
          continue
        }
        subscriber.received++
        const waiting = overflow?.get(subscriber)
        if (waiting !== undefined) waiting.push(item)
        else if (subscriber.queue.unsafeOffer(item)) {
          subscriber.ready.unsafeOpen()
          const depth = depthOf(subscriber)
          if (depth > subscriber.maxDepth) subscriber.maxDepth = depth
        } else {
          overflow ??= new Map()
          overflow.set(subscriber, [item])
        }
      }
    }
    if (overflow === undefined) return Effect.void
    return Effect.forEach(overflow, ([subscriber, rest]) => waitForRoom(subscriber, rest), { discard: true })
  }

  const publish = (item: BusEnvelope): Effect.Effect<void> => Effect.suspend(() => dispatch([item]))

  const publishAll = (items: Iterable<BusEnvelope>): Effect.Effect<void> =>
    Effect.suspend(() => dispatch(Array.isArray(items) ? items : Array.from(items)))

  const retire = (subscriber: Subscriber) =>
    Effect.gen(function* () {
      subscribers.delete(subscriber)
      const c = countersOf(subscriber)
      retired.delivered += c.delivered
      retired.coalesced += c.coalesced
      retired.dropped += c.dropped
      retired.maxDepth = Math.max(retired.maxDepth, c.maxQueueDepth)
      if (subscriber.policy === "lossless") {
        retired.waitNanos += subscriber.waitNanos
        // Release producers still waiting for room: once removed nobody reads this queue again, and
        // nothing new arrives, so each drain moves up to `capacity` waiting items and a few end it.
        const held = sizeOf(subscriber)
        for (let i = 0; i <= Math.ceil(held / subscriber.capacity) && sizeOf(subscriber) > 0; i++) yield* Queue.takeAll(subscriber.queue)
      }
    })

  const subscribe = (options: SubscribeOptions): Effect.Effect<BusSubscription, never, Scope.Scope> =>
    Effect.gen(function* () {
      const capacity = Math.max(1, Math.floor(options.capacity))
      const sessionId = options.sessionId ?? null
      const filter = options.filter ?? null
      const subscriber: Subscriber =
        options.policy === "latest"
          ? { policy: "latest", name: options.name, sessionId, filter, buffer: new LatestBuffer(capacity) }
          : {
              policy: "lossless",
              name: options.name,
              sessionId,
              filter,
              queue: yield* Queue.bounded<BusEnvelope>(capacity),
              ready: yield* Effect.makeLatch(false),
              capacity,
              received: 0,
              delivered: 0,
              maxDepth: 0,
              waitNanos: 0n
            }
      yield* Effect.acquireRelease(
        Effect.sync(() => subscribers.add(subscriber)),
        () => retire(subscriber)
      )
      if (subscriber.policy === "latest") {
        const buffer = subscriber.buffer
        return {
          take: (max: number) => buffer.take(max),
          takeNow: (max: number) => buffer.takeNow(max),
          received: Effect.sync(() => buffer.received)
        }
      }
      const deliver = (chunk: Chunk.Chunk<BusEnvelope>): ReadonlyArray<BusDelivery> => {
        subscriber.delivered += chunk.length
        const out = new Array<BusDelivery>(chunk.length)
        let i = 0
        for (const item of chunk) out[i++] = { _tag: "Event", envelope: item }
        return out
      }
      return {
        take: (max: number) => Effect.map(takeLossless(subscriber, Math.max(1, max)), deliver),
        takeNow: (max: number) => Effect.map(Queue.takeUpTo(subscriber.queue, Math.max(0, max)), deliver),
        received: Effect.sync(() => subscriber.received)
      }
    })

  const counters: Effect.Effect<BusSnapshot> = Effect.sync(() => {
    const list = Array.from(subscribers, countersOf)
    const total: BusCounters = {
      published,
      delivered: retired.delivered + list.reduce((n, c) => n + c.delivered, 0),
      coalesced: retired.coalesced + list.reduce((n, c) => n + c.coalesced, 0),
      dropped: retired.dropped + list.reduce((n, c) => n + c.dropped, 0),
      maxQueueDepth: list.reduce((n, c) => Math.max(n, c.maxQueueDepth), retired.maxDepth),
      producerWaitMillis: nanosToMillis(retired.waitNanos) + list.reduce((n, c) => n + c.producerWaitMillis, 0)
    }
    return { total, subscribers: list }
  })

  return EventBus.of({ publish, publishAll, subscribe, counters })
})

export const EventBusLive = Layer.effect(EventBus, makeEventBus)
