import { Effect } from "effect"
import { InboxItemCreated } from "../../domain/events.js"
import { InboxItemId, type SessionId, type WorkItemId } from "../../domain/ids.js"
import { EventStore } from "../../services/EventStore.js"

/** The inbox item of a work item that went over its token budget; open, it holds the work. */
export const budgetInboxId = (workItemId: WorkItemId) => InboxItemId.make(`${workItemId}:token-budget`)

/** Events read back per earlier session to find its last usage figure. */
const USAGE_LOOKBACK = 500

/** A session's tokens so far: the totals its newest finished turn reported (harnesses report absolute totals). */
const sessionTokens = (sessionId: SessionId) =>
  Effect.flatMap(EventStore, (store) =>
    Effect.map(store.events({ sessionId, types: ["SessionEvent"], newestFirst: true, limit: USAGE_LOOKBACK }), (events) => {
      for (const { event } of events) {
        if (event._tag === "SessionEvent" && event.event._tag === "TurnCompleted" && event.event.usage !== null) return event.event.usage.total
      }
      return 0
    })
  )

/**
 * `[runtime] max_tokens_per_work_item`: after a turn, the tokens of all the work item's sessions are
 * added up; over the budget, one inbox item with the figure holds auto-advance until the person
 * resolves it (the PR pipeline's CI and review instructions still go to the agent). Answers whether the work may go on.
 * Harnesses report usage when a turn ends, so the check falls between turns.
 */
export const withinTokenBudget = (workItemId: WorkItemId, ticketKey: string, budget: number) =>
  Effect.gen(function* () {
    if (budget <= 0) return true
    const store = yield* EventStore
    const open = yield* store.inbox({ openOnly: true })
    if (open.some((entry) => entry.id === budgetInboxId(workItemId))) return false
    const sessions = yield* store.workItemSessions(workItemId)
    const used = (yield* Effect.forEach(sessions, (row) => sessionTokens(row.id))).reduce((sum, tokens) => sum + tokens, 0)
    if (used <= budget) return true
    yield* store.append([
      new InboxItemCreated({
        inboxItemId: budgetInboxId(workItemId),
        workItemId,
        sessionId: sessions[0]?.id ?? null,
        lane: "decide",
        urgency: 75,
        title: `${ticketKey} used ${used.toLocaleString("en-US")} tokens`,
        body: `Over [runtime] max_tokens_per_work_item = ${budget.toLocaleString("en-US")}. The work waits: resolve this to let it go on, or archive it.`,
        requestId: null
      })
    ])
    return false
  })
