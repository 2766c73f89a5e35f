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

/** What the UI shows in place of events a `latest` subscriber lost. */
export const skipMarkerText = (count: number): string => `${count} ${count === 1 ? "event" : "events"} skipped`

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
 * The text `next` would add to `previous` when both are deltas of the same kind, session and item;
 * otherwise undefined. The UI buffer joins such texts instead of keeping every chunk.
 */
export const canCoalesce = (previous: DomainEvent, next: DomainEvent): string | undefined => {
  if (previous._tag !== "SessionEvent" || next._tag !== "SessionEvent" || previous.sessionId !== next.sessionId) return undefined
  const a = previous.event
  const b = next.event
  return isDelta(a) && isDelta(b) && a._tag === b._tag && a.itemId === b.itemId ? b.text : undefined
}

/** `event` (a delta) with `more` appended to its text; any other event unchanged. */
export const mergeDeltaTexts = (event: DomainEvent, more: ReadonlyArray<string>): DomainEvent => {
  if (event._tag !== "SessionEvent" || !isDelta(event.event)) return event
  // Parts were validated when published: skip re-validation on this hot path.
  return new SessionEvent({ sessionId: event.sessionId, event: { ...event.event, text: event.event.text + more.join("") } }, true)
}
