import { Duration, Effect } from "effect"
import type { DomainEvent } from "../../domain/events.js"
import type { BusDelivery } from "../../domain/bus.js"
import { makeBatchedWriter } from "./batchedWriter.js"
import { EventBus } from "../../services/EventBus.js"

export interface StoreWriterOptions {
  /** `[database] chunk_event_flush_ms`. */
  readonly flushMs: number
  /** The lossless bus buffer: how far producers may run ahead before they wait. */
  readonly busCapacity: number
  /** The batched writer's own buffer and its transaction size. */
  readonly writerCapacity: number
  readonly maxBatch: number
}

export const defaultStoreWriterOptions = (flushMs: number): StoreWriterOptions => ({
  flushMs,
  busCapacity: 4096,
  // Room for two whole bus buffers: handing one over never waits for the previous append.
  writerCapacity: 8192,
  maxBatch: 2048
})

export interface StoreWriter {
  /** Resolves once every event published before it is in the store. */
  readonly flush: Effect.Effect<void>
  /** Events handed to the store so far (before coalescing of streaming chunks). */
  readonly written: Effect.Effect<number>
}

const eventsOf = (deliveries: ReadonlyArray<BusDelivery>): Array<DomainEvent> => {
  const out: Array<DomainEvent> = []
  for (const d of deliveries) if (d._tag === "Event") out.push(d.envelope.event)
  return out
}

/**
 * The one fiber that moves every bus event into the store: it takes what a lossless subscription
 * holds (harness readers wait when it is full) at most once per `flushMs` under steady load, and the
 * batched writer appends it at once with streaming chunks coalesced. Closing the scope writes
 * whatever is still buffered.
 */
export const startStoreWriter = (options: StoreWriterOptions) =>
  Effect.gen(function* () {
    const bus = yield* EventBus
    // Created first so it is finalized last: everything below drains into it on shutdown. The pump
    // below does the waiting, so the writer appends what it is handed at once.
    const writer = yield* makeBatchedWriter({
      flushMs: 0,
      capacity: options.writerCapacity,
      maxBatch: options.maxBatch
    })
    const subscription = yield* bus.subscribe({ name: "store", policy: "lossless", capacity: options.busCapacity })
    // Opened after every forwarded batch, so `flush` can wait for a count without polling.
    const progress = yield* Effect.makeLatch(false)
    let written = 0

    const forward = (deliveries: ReadonlyArray<BusDelivery>) =>
      Effect.suspend(() => {
        const events = eventsOf(deliveries)
        return Effect.zipRight(
          writer.writeAll(events),
          Effect.sync(() => {
            written += events.length
            progress.unsafeOpen()
          })
        )
      })

    const forwardedAtLeast = (target: number): Effect.Effect<void> =>
      Effect.suspend(() => {
        if (written >= target) return Effect.void
        progress.unsafeClose()
        return Effect.zipRight(progress.await, forwardedAtLeast(target))
      })

    // On shutdown: forward what is still buffered, then let the writer store it before its own
    // finalizer stops it (stopping it while it waits for input can lose the entry just handed over).
    yield* Effect.addFinalizer(() =>
      subscription.takeNow(Number.MAX_SAFE_INTEGER).pipe(Effect.flatMap(forward), Effect.zipRight(writer.flush))
    )

    // Only the wait is interruptible: a batch once taken is always handed to the writer. After a
    // batch that emptied the bus buffer the pump rests `flushMs` while it fills again: one wake-up
    // and one append per interval under steady load instead of one per publish, and streaming
    // chunks of the interval coalesce. A full take means producers are waiting: no rest then.
    const pump = Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(restore(subscription.take(options.busCapacity)), (deliveries) => Effect.as(forward(deliveries), deliveries.length))
    )
    const rest = options.flushMs > 0 ? Effect.sleep(Duration.millis(options.flushMs)) : Effect.void
    yield* Effect.forkScoped(Effect.forever(Effect.flatMap(pump, (taken) => (taken < options.busCapacity ? rest : Effect.void))))

    return {
      flush: subscription.received.pipe(Effect.flatMap(forwardedAtLeast), Effect.zipRight(writer.flush)),
      written: Effect.sync(() => written)
    } satisfies StoreWriter
  })
