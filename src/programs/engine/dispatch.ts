import { Clock, Effect, Option } from "effect"
import type { TicketId, WorkItemId } from "../../domain/ids.js"
import { isTerminalSessionState } from "../../domain/session.js"
import type { Ticket } from "../../domain/ticket.js"
import { isTerminalWorkflowState } from "../../domain/workflow.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventStore } from "../../services/EventStore.js"
import { SessionRuntime } from "../../services/SessionRuntime.js"
import { Workflow } from "../../services/Workflow.js"
import type { ModelLimitPause } from "./modelLimits.js"
import { giveUpsFrom, MAX_START_ATTEMPTS, type StartAttempts } from "./startAttempts.js"

/** Urgent first, "no priority" last, then the most recently updated. */
const byPriority = (a: Ticket, b: Ticket): number => {
  const rank = (t: Ticket) => (t.priority === 0 ? 5 : t.priority)
  return rank(a) - rank(b) || b.updatedAt - a.updatedAt
}

const isClosed = (ticket: Ticket): boolean => ticket.state.type === "completed" || ticket.state.type === "canceled"

export interface DispatchRound {
  readonly started: ReadonlyArray<string>
  readonly stopped: ReadonlyArray<string>
  readonly skipped: ReadonlyArray<{ readonly ticket: string; readonly reason: string }>
}

/**
 * One round of `run --headless --auto`, reconcile before dispatch: work whose ticket was closed or
 * left the tracker is stopped and archived (safely); then tickets in the configured states start,
 * by priority, while fewer than `max_concurrent_sessions` sessions are live. A start that fails, or
 * an agent that dies before planning got anywhere, is tried again after a growing wait, a bounded
 * number of times; then the ticket goes to the inbox (`attempts`). Nothing new starts while the model
 * is rate- or usage-limited (`limits`).
 */
export const dispatchRound = (attempts: StartAttempts, limits: ModelLimitPause) => Effect.gen(function* () {
  const config = yield* AppConfig
  const store = yield* EventStore
  const runtime = yield* SessionRuntime
  const workflow = yield* Workflow
  const activeStates = config.settings.tracker.sync_states
  const stopped: Array<string> = []
  const started: Array<string> = []
  const skipped: Array<{ ticket: string; reason: string }> = []

  const items = yield* store.workItems
  for (const item of items) {
    if (isTerminalWorkflowState(item.state)) continue
    const ticket = yield* store.ticket(item.ticketId)
    const gone = Option.match(ticket, { onNone: () => true, onSome: (t) => isClosed(t) })
    // A ticket closed on the tracker while its work was not merged: the person gave up on it.
    if (gone && item.state !== "PendingMerge") {
      yield* workflow.archive(item.id).pipe(Effect.catchAll((error) => Effect.logWarning(`archive ${item.id}: ${error.message}`)))
      stopped.push(item.ticketId)
    }
  }

  // With auto_merge the person opted out of the gates: a green draft is marked ready on its own.
  if (config.settings.github.auto_merge) {
    for (const item of yield* store.workItems) {
      if (item.state !== "AwaitingYourReview") continue
      yield* workflow.advance(item.id).pipe(Effect.catchAll((error) => Effect.logWarning(`mark ready ${item.id}: ${error.message}`)))
    }
  }

  const liveIds = new Set((yield* runtime.sessions).filter((view) => !isTerminalSessionState(view.state)).map((view) => view.sessionId))
  const live = liveIds.size
  let free = config.settings.runtime.max_concurrent_sessions - live
  if (free <= 0) return { started, stopped, skipped } satisfies DispatchRound
  const paused = yield* limits.pausedUntil
  if (paused !== undefined) {
    skipped.push({ ticket: "-", reason: `the model is rate- or usage-limited: new work waits until ${new Date(paused).toISOString()}` })
    return { started, stopped, skipped } satisfies DispatchRound
  }
  // The inbox once a round: which tickets dispatch handed to the person, and since when they are back.
  const giveUpsOf = giveUpsFrom(yield* store.inbox({ openOnly: false }))
  const tryStart = (ticketId: TicketId, ticketKey: string, workItemId: WorkItemId | null) =>
    Effect.gen(function* () {
      const result = yield* Effect.either(workflow.startTicket(ticketId))
      if (result._tag === "Right") {
        started.push(ticketId)
        free--
        return yield* attempts.succeeded(ticketId)
      }
      const gaveUp = yield* attempts.failed(ticketId, ticketKey, workItemId, result.left.message, giveUpsOf(ticketId))
      skipped.push({ ticket: ticketId, reason: gaveUp ? `gave up: ${result.left.message}` : result.left.message })
    })
  const keyOf = (ticketId: TicketId) => Effect.map(store.ticket(ticketId), (found) => Option.match(found, { onNone: () => ticketId, onSome: (t) => t.identifier }))

  // Work that lost its agent before planning got anywhere (a crash between the worktree and the
  // first turn) starts again in its worktree after a growing wait, a bounded number of times.
  const now = yield* Clock.currentTimeMillis
  for (const item of yield* store.workItems) {
    if (free <= 0) break
    if (item.state !== "New" && item.state !== "Planning") continue
    const giveUps = giveUpsOf(item.ticketId)
    const sessions = yield* store.workItemSessions(item.id)
    // Live means live in this runtime: a row left "Starting" by a start that never finished is not.
    if (sessions.some((row) => liveIds.has(row.id)) || !(yield* attempts.mayTry(item.ticketId, giveUps))) continue
    // Only the sessions since the person last let it go on count towards giving up again.
    const own = sessions.filter((row) => row.createdAt > giveUps.resolvedAt)
    const last = own[0]
    if (last !== undefined && now < last.lastActivityAt + attempts.backoffMs(own.length)) continue
    if (own.length >= MAX_START_ATTEMPTS) {
      const ended = last === undefined ? "" : `; the last one ended ${last.state}`
      yield* attempts.giveUp(item.ticketId, yield* keyOf(item.ticketId), item.id, `its agent stopped ${own.length} times before planning got anywhere${ended}`, giveUps)
      skipped.push({ ticket: item.ticketId, reason: `gave up after ${own.length} agent sessions` })
      continue
    }
    yield* tryStart(item.ticketId, yield* keyOf(item.ticketId), item.id)
  }

  const worked = new Set((yield* store.workItems).map((item) => item.ticketId))
  const candidates = (yield* store.tickets({}))
    .filter((ticket) => !worked.has(ticket.id) && !isClosed(ticket) && activeStates.includes(ticket.state.name))
    .sort(byPriority)
  for (const ticket of candidates) {
    if (free <= 0) break
    if (!(yield* attempts.mayTry(ticket.id, giveUpsOf(ticket.id)))) continue
    yield* tryStart(ticket.id, ticket.identifier, null)
  }
  return { started, stopped, skipped } satisfies DispatchRound
})
