import type { StoredEvent } from "../../domain/events.js"

/** What the dashboard keeps per session from the events it has seen (Symphony's running row). */
export interface SessionTally {
  turns: number
  lastEvent: string | null
  lastMessage: string
  lastEventAt: number | null
  input: number
  output: number
  total: number
}

const MAX_MESSAGE = 200

const snake = (tag: string): string => tag.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase()

export const emptyTally = (): SessionTally => ({ turns: 0, lastEvent: null, lastMessage: "", lastEventAt: null, input: 0, output: 0, total: 0 })

/**
 * Adds stored events to the tallies. Harnesses report a session's absolute totals when a turn ends,
 * so the newest figure replaces the last one rather than adding to it.
 */
export const tallyEvents = (tallies: Map<string, SessionTally>, events: ReadonlyArray<StoredEvent>): void => {
  for (const { at, event } of events) {
    if (event._tag !== "SessionEvent") continue
    let tally = tallies.get(event.sessionId)
    if (tally === undefined) {
      tally = emptyTally()
      tallies.set(event.sessionId, tally)
    }
    const worker = event.event
    tally.lastEvent = snake(worker._tag)
    tally.lastEventAt = at
    if (worker._tag === "TurnStarted") tally.turns += 1
    else if (worker._tag === "Message") tally.lastMessage = worker.text.slice(0, MAX_MESSAGE)
    else if (worker._tag === "TurnCompleted" && worker.usage !== null) {
      tally.input = worker.usage.input
      tally.output = worker.usage.output
      tally.total = worker.usage.total
    }
  }
}
