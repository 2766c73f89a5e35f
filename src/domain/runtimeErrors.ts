import { Schema } from "effect"
import { SessionState } from "./session.js"

/** More session starts are waiting than the queue holds. */
export class StartQueueFull extends Schema.TaggedError<StartQueueFull>()("StartQueueFull", {
  sessionId: Schema.String,
  waiting: Schema.Number
}) {
  override get message(): string {
    return `cannot queue session ${this.sessionId}: ${this.waiting} starts are already waiting for a free slot`
  }
}

/** No live session with this id in this run. */
export class SessionNotLive extends Schema.TaggedError<SessionNotLive>()("SessionNotLive", {
  sessionId: Schema.String,
  state: Schema.NullOr(SessionState)
}) {
  override get message(): string {
    return this.state === null
      ? `session ${this.sessionId} is not running in this orchestrator`
      : `session ${this.sessionId} has ended (${this.state})`
  }
}

/** A start for a session id that is already live in this run. */
export class SessionAlreadyLive extends Schema.TaggedError<SessionAlreadyLive>()("SessionAlreadyLive", {
  sessionId: Schema.String,
  state: SessionState
}) {
  override get message(): string {
    return `session ${this.sessionId} is already live (${this.state}); kill it before starting it again`
  }
}
