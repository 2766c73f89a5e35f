import { Either, Schema } from "effect"
import { isTerminalSessionState, SessionState } from "./session.js"
import type { WorkerEvent } from "./workerEvent.js"

/**
 * Session lifecycle (SPEC §4): Starting → Running ⇄ Idle/WaitingForUser → Done | Crashed | Killed.
 * Terminal states are sticky: the first one reached wins, later ones are refused.
 */

const allowed: Readonly<Record<SessionState, ReadonlyArray<SessionState>>> = {
  Starting: ["Running", "Idle", "Crashed", "Killed"],
  Running: ["Idle", "WaitingForUser", "Done", "Crashed", "Killed"],
  Idle: ["Running", "WaitingForUser", "Done", "Crashed", "Killed"],
  WaitingForUser: ["Running", "Idle", "Done", "Crashed", "Killed"],
  Done: [],
  Crashed: [],
  Killed: []
}

/** A lifecycle move the table does not allow; `from` terminal means the session already ended. */
export class LifecycleRejected extends Schema.TaggedError<LifecycleRejected>()("LifecycleRejected", {
  from: SessionState,
  to: SessionState
}) {
  override get message(): string {
    return isTerminalSessionState(this.from)
      ? `the session already ended (${this.from}); ${this.to} is ignored`
      : `a session cannot move from ${this.from} to ${this.to}`
  }
}

export const canTransition = (from: SessionState, to: SessionState): boolean => allowed[from].includes(to)

export const transition = (from: SessionState, to: SessionState): Either.Either<SessionState, LifecycleRejected> =>
  canTransition(from, to) ? Either.right(to) : Either.left(new LifecycleRejected({ from, to }))

/** The state a worker event moves a session to, with the reason recorded; none when it changes nothing. */
export const stateAfterEvent = (
  event: WorkerEvent
): { readonly to: SessionState; readonly reason: string } | undefined => {
  switch (event._tag) {
    case "TurnStarted":
      return { to: "Running", reason: `turn ${event.turnId} started` }
    case "TurnCompleted":
      // A finished turn leaves the session waiting for more input, never done.
      return { to: "Idle", reason: `turn ${event.turnId} ${event.status}${event.error === null ? "" : `: ${event.error}`}` }
    case "NeedsInput":
      return { to: "WaitingForUser", reason: `the agent asks ${event.questions.length} question(s)` }
    case "ApprovalRequested":
      return { to: "WaitingForUser", reason: `the agent asks to approve: ${event.subject}` }
    case "Done":
      return { to: "Done", reason: event.reason }
    case "Crashed":
      return { to: "Crashed", reason: event.reason }
    default:
      return undefined
  }
}
