import { SessionEvent, SupervisorQueryChunk, type DomainEvent } from "../../domain/events.js"
import { isDelta } from "../../domain/workerEvent.js"

/** The key under which a streaming chunk may merge with an earlier one, or undefined. */
const chunkKey = (event: DomainEvent): string | undefined => {
  if (event._tag === "SessionEvent" && isDelta(event.event)) {
    return `${event.sessionId}\u0000${event.event._tag}\u0000${event.event.itemId}`
  }
  if (event._tag === "SupervisorQueryChunk") return `query\u0000${event.queryId}`
  return undefined
}

/** The stream an event belongs to: a later event of the same stream closes the chunk before it. */
const streamKey = (event: DomainEvent): string | undefined =>
  "sessionId" in event ? `session\u0000${event.sessionId}` : "queryId" in event ? `query\u0000${event.queryId}` : undefined

const merge = (earlier: DomainEvent, later: DomainEvent): DomainEvent => {
  if (earlier._tag === "SupervisorQueryChunk" && later._tag === "SupervisorQueryChunk") {
    return new SupervisorQueryChunk({ queryId: earlier.queryId, text: earlier.text + later.text }, true)
  }
  if (earlier._tag === "SessionEvent" && later._tag === "SessionEvent" && isDelta(earlier.event) && isDelta(later.event)) {
    // Both parts were valid events; the joined one is too, so the constructor skips validation.
    return new SessionEvent({ sessionId: earlier.sessionId, event: { ...earlier.event, text: earlier.event.text + later.event.text } }, true)
  }
  return later
}

/**
 * Merges streaming chunks (agent deltas, supervisor answer text) of the same item into one event,
 * as long as nothing else of that session or query came between them. Order within every session
 * and query is kept; text is never lost, only joined.
 */
export const coalesceChunks = (events: ReadonlyArray<DomainEvent>): ReadonlyArray<DomainEvent> => {
  const out: Array<DomainEvent> = []
  const open = new Map<string, number>()
  const openByStream = new Map<string, string>()
  for (const event of events) {
    const key = chunkKey(event)
    const stream = streamKey(event)
    const index = key === undefined ? undefined : open.get(key)
    const previous = index === undefined ? undefined : out[index]
    if (key !== undefined && index !== undefined && previous !== undefined) {
      out[index] = merge(previous, event)
      continue
    }
    if (stream !== undefined) {
      const closed = openByStream.get(stream)
      if (closed !== undefined) open.delete(closed)
      openByStream.delete(stream)
    }
    out.push(event)
    if (key !== undefined && stream !== undefined) {
      open.set(key, out.length - 1)
      openByStream.set(stream, key)
    }
  }
  return out
}
