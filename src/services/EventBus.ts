import { Context, type Effect, type Scope } from "effect"
import type { BusDelivery, BusEnvelope, BusPolicy, BusSnapshot } from "../domain/bus.js"
import type { SessionId } from "../domain/ids.js"

export interface SubscribeOptions {
  /** Shown in the counters. */
  readonly name: string
  readonly policy: BusPolicy
  /** Buffer size; the bus never holds more than this for the subscriber. */
  readonly capacity: number
  /** Only this session's events; absent: every event. */
  readonly sessionId?: SessionId
  /**
   * Only events it accepts; asked at every publish, so it may follow state the subscriber keeps (the
   * UI's focused session). Events it refuses are never buffered, counted or delivered.
   */
  readonly filter?: (envelope: BusEnvelope) => boolean
}

export interface BusSubscription {
  /** Waits for at least one delivery, then returns up to `max` in publication order. */
  readonly take: (max: number) => Effect.Effect<ReadonlyArray<BusDelivery>>
  /** Returns up to `max` deliveries already buffered, without waiting (possibly none). */
  readonly takeNow: (max: number) => Effect.Effect<ReadonlyArray<BusDelivery>>
  /** Events the bus has handed to this subscription so far, including any a producer is still waiting to place. */
  readonly received: Effect.Effect<number>
}

/**
 * Fan-out of domain events from the harness readers to the store writer and the UI, with an
 * explicit backpressure policy per subscriber. Subscriptions last as long as their scope.
 */
export class EventBus extends Context.Tag("orchestrator/EventBus")<
  EventBus,
  {
    /** Returns once every lossless subscriber has room for the event (the producer waits, never drops). */
    readonly publish: (envelope: BusEnvelope) => Effect.Effect<void>
    readonly publishAll: (envelopes: Iterable<BusEnvelope>) => Effect.Effect<void>
    readonly subscribe: (options: SubscribeOptions) => Effect.Effect<BusSubscription, never, Scope.Scope>
    readonly counters: Effect.Effect<BusSnapshot>
  }
>() {}
