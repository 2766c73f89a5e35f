import { Schema } from "effect"
import { EpochMillis, SessionId, TicketId, WorkItemId } from "./ids.js"
import { harnessIdPattern, sessionStateNames } from "./literals.js"

export const HarnessId = Schema.String.pipe(Schema.pattern(harnessIdPattern))
export type HarnessId = typeof HarnessId.Type

/** Session lifecycle (SPEC §4). */
export const SessionState = Schema.Literal(...sessionStateNames)
export type SessionState = typeof SessionState.Type

export const terminalSessionStates: ReadonlyArray<SessionState> = ["Done", "Crashed", "Killed"]
export const isTerminalSessionState = (state: SessionState): boolean => terminalSessionStates.includes(state)

/** The sessions projection row, as the CLI and the TUI read it. */
export class SessionRow extends Schema.Class<SessionRow>("SessionRow")({
  id: SessionId,
  workItemId: Schema.NullOr(WorkItemId),
  ticketId: Schema.NullOr(TicketId),
  ticketIdentifier: Schema.NullOr(Schema.String),
  harness: HarnessId,
  model: Schema.NullOr(Schema.String),
  worktreePath: Schema.String,
  state: SessionState,
  workflowState: Schema.NullOr(Schema.String),
  pullRequestUrl: Schema.NullOr(Schema.String),
  harnessSessionId: Schema.NullOr(Schema.String),
  createdAt: EpochMillis,
  lastActivityAt: EpochMillis,
  eventCount: Schema.Number
}) {}
