import { type DomainEvent, SessionEvent } from "./events.js"
import type { SessionId } from "./ids.js"
import { isDelta } from "./workerEvent.js"

/** What travels on the event bus: a domain event and the session it belongs to (null: global). */
export interface BusEnvelope {
  readonly sessionId: SessionId | null
  readonly event: DomainEvent
}

export const envelope = (event: DomainEvent): BusEnvelope => ({
  sessionId: "sessionId" in event && event.sessionId !== null ? event.sessionId : null,
  event
})

/**
 * `lossless`: bounded; a full buffer makes the producer wait (the store writer).
 * `latest`: bounded; text deltas coalesce and the oldest entries drop under pressure (the UI).
 */
export type BusPolicy = "lossless" | "latest"

/** One item a subscriber takes: an event, or the marker for events dropped before it. */
export type BusDelivery =
  | { readonly _tag: "Event"; readonly envelope: BusEnvelope }
  | { readonly _tag: "Skipped"; readonly count: number }

export interface BusCounters {
  readonly published: number
  readonly delivered: number
  readonly coalesced: number
  readonly dropped: number
  readonly maxQueueDepth: number
  /** Total time producers were suspended on full lossless buffers. */
  readonly producerWaitMillis: number
}

export interface SubscriberCounters extends BusCounters {
  readonly name: string
  readonly policy: BusPolicy
  readonly sessionId: SessionId | null
  readonly capacity: number
  readonly depth: number
}

export interface BusSnapshot {
  readonly total: BusCounters
  readonly subscribers: ReadonlyArray<SubscriberCounters>
}

/**
 * Appends `next` to `previous` when both are deltas of the same kind, session and item and the
 * merged text stays within `maxChars`; otherwise undefined. Shared by the UI buffer and the store writer.
 */
export const coalesceDeltas = (previous: DomainEvent, next: DomainEvent, maxChars: number): SessionEvent | undefined => {
  if (previous._tag !== "SessionEvent" || next._tag !== "SessionEvent") return undefined
  const a = previous.event
  const b = next.event
  if (!isDelta(a) || !isDelta(b) || a._tag !== b._tag || a.itemId !== b.itemId) return undefined
  if (previous.sessionId !== next.sessionId || a.text.length + b.text.length > maxChars) return undefined
  // Already-validated parts: skip re-validation on this hot path.
  return new SessionEvent({ sessionId: previous.sessionId, event: { ...a, text: a.text + b.text } }, true)
}
