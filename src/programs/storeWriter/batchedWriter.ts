import { Deferred, Duration, Effect, Queue } from "effect"
import type { DomainEvent } from "../../domain/events.js"
import type { StoreError } from "../../domain/errors.js"
import { EventStore } from "../../services/EventStore.js"
import { coalesceChunks } from "./coalesce.js"

export interface BatchedWriterOptions {
  /** How long events may wait before they are written (`[database] chunk_event_flush_ms`). */
  readonly flushMs: number
  /** Events held before `write` waits: the bound that makes the writer lossless and bounded. */
  readonly capacity: number
  /** Events per transaction. */
  readonly maxBatch: number
}

type Entry = { readonly _tag: "Event"; readonly event: DomainEvent } | { readonly _tag: "Flush"; readonly done: Deferred.Deferred<void> }

export interface BatchedWriter {
  /** Queues an event; waits (backpressure) while the buffer is full. Never drops. */
  readonly write: (event: DomainEvent) => Effect.Effect<void>
  readonly writeAll: (events: Iterable<DomainEvent>) => Effect.Effect<void>
  /** Resolves once everything written before it is in the store. */
  readonly flush: Effect.Effect<void>
}

/**
 * One fiber that takes queued events every `flushMs`, coalesces streaming chunks and appends them in
 * one transaction per batch. Closing the scope writes what is still queued.
 */
export const makeBatchedWriter = (options: BatchedWriterOptions) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const queue = yield* Queue.bounded<Entry>(options.capacity)

    const writeBatch = (entries: Iterable<Entry>): Effect.Effect<void, StoreError> =>
      Effect.gen(function* () {
        const events: Array<DomainEvent> = []
        const waiting: Array<Deferred.Deferred<void>> = []
        for (const entry of entries) {
          if (entry._tag === "Event") events.push(entry.event)
          else waiting.push(entry.done)
        }
        const merged = coalesceChunks(events)
        for (let start = 0; start < merged.length; start += options.maxBatch) {
          yield* store.append(merged.slice(start, start + options.maxBatch))
        }
        for (const done of waiting) yield* Deferred.succeed(done, undefined)
      })

    // The fiber waits on a latch, never inside a take: an interrupted take could lose the entry it
    // was handed. Everything after the wait runs uninterruptibly, so a taken batch is always written.
    const pending = yield* Effect.makeLatch(false)
    const drainOnce = Effect.uninterruptibleMask((restore) =>
      Effect.gen(function* () {
        yield* restore(pending.await)
        if (options.flushMs > 0) yield* Effect.sleep(Duration.millis(options.flushMs))
        yield* pending.close
        const entries = yield* Queue.takeAll(queue)
        if (entries.length === 0) return
        yield* writeBatch(entries).pipe(
          Effect.retry({ times: 5 }),
          Effect.catchAll((error) => Effect.logError(`event store writer: ${error.message}`))
        )
      })
    )

    // Registered before the fiber is forked, so it runs after the fiber has stopped.
    yield* Effect.addFinalizer(() =>
      Effect.flatMap(Queue.takeAll(queue), (rest) => writeBatch(rest).pipe(Effect.catchAll(() => Effect.void)))
    )
    yield* Effect.forkScoped(Effect.forever(drainOnce))

    const flush = Effect.gen(function* () {
      const done = yield* Deferred.make<void>()
      yield* Queue.offer(queue, { _tag: "Flush", done })
      yield* pending.open
      yield* Deferred.await(done)
    })

    return {
      write: (event) => Effect.zipRight(Queue.offer(queue, { _tag: "Event", event }), pending.open),
      writeAll: (events) =>
        Effect.zipRight(Queue.offerAll(queue, Array.from(events, (event) => ({ _tag: "Event" as const, event }))), pending.open),
      flush
    } satisfies BatchedWriter
  })
