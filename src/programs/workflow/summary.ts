import { Effect, Option } from "effect"
import type { WorkItemId } from "../../domain/ids.js"
import type { EventStore } from "../../services/EventStore.js"

/**
 * The agent's last full message in the work item's newest session: the summary that goes into the
 * pull request and the tracker comment. Empty when the agent said nothing yet.
 */
export const agentSummary = (store: EventStore["Type"], workItemId: WorkItemId) =>
  Effect.gen(function* () {
    const session = Option.fromNullable((yield* store.workItemSessions(workItemId))[0])
    if (Option.isNone(session)) return ""
    const messages = yield* store.events({ sessionId: session.value.id, types: ["SessionEvent"], newestFirst: true, limit: 500 })
    for (const stored of messages) {
      if (stored.event._tag === "SessionEvent" && stored.event.event._tag === "Message") return stored.event.event.text
    }
    return ""
  })
