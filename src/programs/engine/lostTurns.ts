import { Effect, Option } from "effect"
import type { SessionId } from "../../domain/ids.js"
import type { SessionRow } from "../../domain/session.js"
import { implementInstruction, planningPrelude } from "../workflow/prelude.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventStore } from "../../services/EventStore.js"
import { SessionRuntime } from "../../services/SessionRuntime.js"
import { Workflow } from "../../services/Workflow.js"

/**
 * After a restart every resumed session is idle: a turn in flight died with the old process, and
 * events still on their way to the store (that turn's instruction, its completion) may be lost
 * too, so auto-advance would wait forever for a TurnCompleted. The workflow state is durable, so
 * each resumed session's work item is moved on from it:
 * - Planning: no completed turn yet → the planning prelude again; a plan → advance (when automatic);
 * - Implementing: no completed turn beyond the plan → the implementation instruction again; else
 *   advance (commit, push, open the draft pull request);
 * - otherwise, when the store still showed the session mid-turn, orchestrator's last instruction again.
 * A person's own message is never repeated for them. An agent a cluster's runner kept is left alone
 * while its turn runs, its unread events are on their way, or its input waits to run again.
 */
export const resumeLostTurns = (before: ReadonlyArray<SessionRow>, resumed: ReadonlyArray<SessionId>) =>
  Effect.gen(function* () {
    const config = yield* AppConfig
    const store = yield* EventStore
    const runtime = yield* SessionRuntime
    const workflow = yield* Workflow

    const completedTurns = (sessionId: SessionId) =>
      Effect.map(store.events({ sessionId, types: ["SessionEvent"], limit: 100_000 }), (events) =>
        events.filter((s) => s.event._tag === "SessionEvent" && s.event.event._tag === "TurnCompleted" && s.event.event.status === "completed").length
      )
    const again = (sessionId: SessionId, text: string) => runtime.instruct(sessionId, { reason: "workflow", attempt: 1, text })

    const one = (row: SessionRow) =>
      Effect.gen(function* () {
        const item = row.workItemId === null ? Option.none() : yield* store.workItem(row.workItemId)
        const state = Option.match(item, { onNone: () => null, onSome: (i) => i.state })
        if (Option.isSome(item) && state === "Planning") {
          if ((yield* completedTurns(row.id)) === 0) {
            const ticket = yield* store.ticket(item.value.ticketId)
            if (Option.isSome(ticket)) yield* again(row.id, planningPrelude(ticket.value))
          } else if (config.settings.runtime.auto_advance_to_implementing) yield* workflow.advance(item.value.id)
          return
        }
        if (Option.isSome(item) && state === "Implementing") {
          if ((yield* completedTurns(row.id)) < 2) yield* again(row.id, implementInstruction)
          else yield* workflow.advance(item.value.id)
          return
        }
        if (row.state !== "Running" && row.state !== "Starting") return
        const [last] = yield* store.events({ sessionId: row.id, types: ["AgentInstructed", "UserResponded"], newestFirst: true, limit: 1 })
        if (last?.event._tag === "AgentInstructed") {
          yield* runtime.instruct(row.id, { reason: last.event.reason, attempt: last.event.attempt, text: last.event.text })
        }
      }).pipe(Effect.catchAll((error) => Effect.logWarning(`could not pick up ${row.id} after the restart: ${error.message}`)))

    // An agent a runner kept lost nothing while its turn runs, or while the events of a turn that ended
    // meanwhile are still on their way, or while the input it died in waits to run again: the turn
    // finishes, or auto-advance takes those events, as usual.
    const followed = new Set(
      (yield* runtime.sessions).flatMap((view) =>
        view.kept !== undefined && (view.kept.turnRunning || view.kept.unread > 0 || view.kept.inputWaiting) ? [view.sessionId] : []
      )
    )
    const picked = before.filter((row) => resumed.includes(row.id) && !followed.has(row.id))
    yield* Effect.forEach(picked, one, { discard: true })
    return picked.length
  })
