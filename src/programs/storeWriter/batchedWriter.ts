import { Cause, Deferred, Duration, Effect, Either, Exit, Queue } from "effect"
import { cappedBackoffMs } from "../../domain/backoff.js"
import type { DomainEvent } from "../../domain/events.js"
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

/** Waits between tries of a batch: 200 ms, doubling, at most 5 s. */
const RETRY_BASE_MS = 200
const RETRY_CAP_MS = 5_000
/** Tries of a batch the store refuses while it answers otherwise. */
const REFUSED_TRIES = 5

const causeMessage = (cause: Cause.Cause<unknown>): string => {
  const error = Cause.squash(cause)
  return error instanceof Error ? error.message : String(error)
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

    /** Splits what was taken: the events (streaming chunks coalesced) in batches, and the flushes waiting on them. */
    const batchesOf = (entries: Iterable<Entry>) => {
      const events: Array<DomainEvent> = []
      const waiting: Array<Deferred.Deferred<void>> = []
      for (const entry of entries) {
        if (entry._tag === "Event") events.push(entry.event)
        else waiting.push(entry.done)
      }
      const merged = coalesceChunks(events)
      const batches: Array<ReadonlyArray<DomainEvent>> = []
      for (let start = 0; start < merged.length; start += options.maxBatch) batches.push(merged.slice(start, start + options.maxBatch))
      return { batches, waiting }
    }

    /**
     * Appends one batch, however long the store is away: while it cannot be reached (a database
     * restart, a dropped connection) the batch waits and is tried again, so nothing is lost and the
     * bounded queue holds the writers back. A batch the store refuses while it answers otherwise is
     * given up after a few tries, with an error, so one bad batch cannot stop all writing.
     * `restore` makes the waits interruptible: a run stopped while the store is away says what it could not write.
     */
    const appendDurably = (batch: ReadonlyArray<DomainEvent>, restore: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>) =>
      Effect.gen(function* () {
        let tries = 0
        let refused = 0
        let away = false
        while (true) {
          // A defect too (a store bug, a library's die) must not end the writer: it is tried again like a failure.
          const written = yield* Effect.exit(store.append(batch))
          if (Exit.isSuccess(written)) {
            if (away) yield* Effect.logWarning("event store writer: the store answers again; the events that waited are written")
            return
          }
          tries++
          const reachable = Either.isRight(yield* Effect.either(store.lastSeq))
          if (reachable && ++refused >= REFUSED_TRIES) {
            return yield* Effect.logError(`event store writer: ${batch.length} events not written: ${causeMessage(written.cause)}`)
          }
          if (!reachable && !away) {
            away = true
            yield* Effect.logWarning(`event store writer: the store cannot be reached (${causeMessage(written.cause)}); events wait until it answers`)
          }
          yield* restore(Effect.sleep(Duration.millis(cappedBackoffMs(RETRY_BASE_MS, tries, RETRY_CAP_MS))))
        }
      })

    // The fiber waits on a latch, never inside a take: an interrupted take could lose the entry it
    // was handed. Everything after the wait runs uninterruptibly (but for the waits of a store that
    // is away), so a taken batch is always written.
    const pending = yield* Effect.makeLatch(false)
    const drainOnce = Effect.uninterruptibleMask((restore) =>
      Effect.gen(function* () {
        yield* restore(pending.await)
        if (options.flushMs > 0) yield* Effect.sleep(Duration.millis(options.flushMs))
        yield* pending.close
        const entries = yield* Queue.takeAll(queue)
        if (entries.length === 0) return
        const { batches, waiting } = batchesOf(entries)
        // Each batch on its own: one written before a failure is never written twice.
        let left = batches.reduce((sum, batch) => sum + batch.length, 0)
        yield* Effect.gen(function* () {
          for (const batch of batches) {
            yield* appendDurably(batch, restore)
            left -= batch.length
          }
        }).pipe(Effect.onInterrupt(() => Effect.logError(`event store writer: stopped while the store was away; ${left} events not written`)))
        // A flush waits for what was queued before it, written or given up (with an error), never for ever.
        for (const done of waiting) yield* Deferred.succeed(done, undefined)
      })
    )

    // Registered before the fiber is forked, so it runs after the fiber has stopped.
    yield* Effect.addFinalizer(() =>
      Effect.gen(function* () {
        const { batches, waiting } = batchesOf(yield* Queue.takeAll(queue))
        for (const batch of batches) {
          yield* store.append(batch).pipe(Effect.catchAll((error) => Effect.logError(`event store writer: ${batch.length} events not written at the end: ${error.message}`)))
        }
        for (const done of waiting) yield* Deferred.succeed(done, undefined)
      })
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
