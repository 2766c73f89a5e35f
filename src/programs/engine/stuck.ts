import { Clock, Effect, Option } from "effect"
import type { WorkItemId } from "../../domain/ids.js"
import { isTerminalSessionState } from "../../domain/session.js"
import { isTerminalWorkflowState, workflowStates } from "../../domain/workflow.js"
import { EventStore } from "../../services/EventStore.js"
import { SessionRuntime } from "../../services/SessionRuntime.js"

/** A work item that cannot move without the person, and why (what the inbox asks of them). */
export interface StuckItem {
  readonly ticket: string
  readonly state: string
  readonly why: string
}

export type Progress =
  /** Agents are working, or a work item waits on GitHub (CI, reviewers): keep going. */
  | { readonly _tag: "Moving" }
  /** Every work item is finished. */
  | { readonly _tag: "Finished" }
  /** Nothing runs and every open work item waits on the person. */
  | { readonly _tag: "Stuck"; readonly items: ReadonlyArray<StuckItem> }

const moving: Progress = { _tag: "Moving" }

/** How long after a work item's move to Done the run waits for its worktree's removal (the pipeline's cleanup). */
const CLEANUP_GRACE_MS = 60_000

/**
 * A work item just moved to Done whose worktree is still recorded, with no note that it was kept:
 * the pipeline records Done, stops the agent, then removes the worktree; the run waits for that
 * (a bounded while) instead of exiting in between and leaving the worktree behind.
 */
const cleaningUp = Effect.gen(function* () {
  const store = yield* EventStore
  const now = yield* Clock.currentTimeMillis
  const recent = (yield* store.workItemsIn(["Done"])).filter((item) => now - item.updatedAt < CLEANUP_GRACE_MS)
  const unremoved: Array<WorkItemId> = []
  for (const item of recent) {
    const tree = yield* store.worktree(item.id)
    if (Option.isSome(tree) && tree.value.removedAt === null) unremoved.push(item.id)
  }
  // The inbox's history is read only in the minute after a Done whose worktree is still there.
  if (unremoved.length === 0) return false
  const kept = new Set((yield* store.inbox({ openOnly: false })).filter((entry) => entry.id.includes(":worktree-kept:")).map((entry) => entry.workItemId))
  return unremoved.some((id) => !kept.has(id))
})

/**
 * Whether anything can still move on its own. An item can when one of its agents runs (or sits idle
 * between turns in a review state, where GitHub moves it), or when `dispatching` will start its agent
 * again (New or Planning, not yet handed to the person); it cannot when it waits on the person (an
 * open inbox item of its own) or has no agent left.
 */
export const progress = (dispatching: boolean) => Effect.gen(function* () {
  const store = yield* EventStore
  const runtime = yield* SessionRuntime
  const views = yield* runtime.sessions
  if (views.some((view) => view.state === "Starting" || view.state === "Running")) return moving
  const live = new Set(views.filter((view) => !isTerminalSessionState(view.state)).map((view) => view.sessionId))
  const open = yield* store.workItemsIn(workflowStates.filter((state) => !isTerminalWorkflowState(state)))
  const waiting = yield* store.inbox({ openOnly: true })
  const stuck: Array<StuckItem> = []
  for (const item of open) {
    const asks = waiting.filter((entry) => entry.workItemId === item.id && entry.lane !== "fyi")
    const own = new Set((yield* store.workItemSessions(item.id)).map((row) => row.id))
    const agents = views.filter((view) => live.has(view.sessionId) && own.has(view.sessionId))
    const answering = agents.some((view) => view.state === "WaitingForUser")
    if (asks.length === 0 && agents.length > 0 && !answering) return moving
    if (asks.length === 0 && agents.length === 0 && dispatching && (item.state === "New" || item.state === "Planning")) return moving
    const ticket = Option.match(yield* store.ticket(item.ticketId), { onNone: () => item.ticketId, onSome: (t) => t.identifier })
    const why = asks.length > 0 ? asks.map((entry) => entry.title).join("; ") : answering ? "the agent waits for your answer" : "no agent is working on it"
    stuck.push({ ticket, state: item.state, why })
  }
  // A session still live (finishing, or freeing its slot) may yet let dispatch start the next ticket.
  if (stuck.length === 0 && live.size > 0) return moving
  if (stuck.length === 0 && (yield* cleaningUp)) return moving
  const settled: Progress = stuck.length === 0 ? { _tag: "Finished" } : { _tag: "Stuck", items: stuck }
  return settled
})
