import { Console, Duration, Effect, Option } from "effect"
import type { StoredEvent } from "../../domain/events.js"
import { EventStore } from "../../services/EventStore.js"
import { logLine } from "./logfmt.js"

interface Ids {
  readonly ticket: string | null
  readonly workItem: string | null
}

/**
 * Follows the store from `afterSeq` and prints one logfmt line per meaningful event: the store is
 * the record, so the log shows workflow steps and agent events alike, in their global order.
 */
export const followLog = (afterSeq: number) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const sessionIds = new Map<string, Ids>()
    const workItemTickets = new Map<string, string>()

    const idsOf = (stored: StoredEvent) =>
      Effect.gen(function* () {
        const event = stored.event
        if (event._tag === "WorkItemCreated") workItemTickets.set(event.workItemId, event.ticketId)
        if (event._tag === "SessionSpawned") sessionIds.set(event.sessionId, { ticket: event.ticketId, workItem: event.workItemId })
        if ("sessionId" in event && event.sessionId !== null) {
          const known = sessionIds.get(event.sessionId)
          if (known !== undefined) return known
          const row = yield* Effect.orElseSucceed(store.session(event.sessionId), () => Option.none())
          const ids = Option.match(row, { onNone: () => ({ ticket: null, workItem: null }), onSome: (r) => ({ ticket: r.ticketId, workItem: r.workItemId }) })
          sessionIds.set(event.sessionId, ids)
          return ids
        }
        if ("workItemId" in event && event.workItemId !== null) {
          let ticket = workItemTickets.get(event.workItemId) ?? null
          if (ticket === null) {
            const item = yield* Effect.orElseSucceed(store.workItem(event.workItemId), () => Option.none())
            ticket = Option.match(item, { onNone: () => null, onSome: (i) => i.ticketId })
            if (ticket !== null) workItemTickets.set(event.workItemId, ticket)
          }
          return { ticket, workItem: event.workItemId }
        }
        return { ticket: "ticketId" in event ? event.ticketId : null, workItem: null }
      })

    let cursor = afterSeq
    const round = Effect.gen(function* () {
      const batch = yield* Effect.orElseSucceed(store.events({ afterSeq: cursor, limit: 500 }), () => [])
      for (const stored of batch) {
        const line = logLine(stored, yield* idsOf(stored))
        if (line !== undefined) yield* Console.log(line)
        cursor = stored.seq
      }
      if (batch.length < 500) yield* Effect.sleep(Duration.millis(200))
    })
    return yield* Effect.forever(round)
  })
