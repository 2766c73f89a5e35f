import { Context, type Effect, type Option } from "effect"
import type { AgentInstructed } from "../domain/events.js"
import type { BinaryUnavailable, HarnessError } from "../domain/errors.js"
import type { SessionId, TicketId, WorkItemId } from "../domain/ids.js"
import type { SessionAlreadyLive, SessionNotLive, StartQueueFull } from "../domain/runtimeErrors.js"
import type { SessionState } from "../domain/session.js"
import type { ApprovalDecision, KeptAgent, SessionSpec } from "./Harness.js"

export interface StartRequest {
  readonly spec: SessionSpec
  readonly workItemId: WorkItemId | null
  readonly ticketId: TicketId | null
  /** The first turn's input (the planning prelude); null leaves the session Idle. */
  readonly prompt: string | null
}

/** A session found in the store after a restart, with the harness id that resume needs. */
export interface ResumeRequest {
  readonly spec: SessionSpec
  readonly workItemId: WorkItemId | null
  readonly ticketId: TicketId | null
  readonly state: SessionState
  readonly harnessSessionId: string
}

export interface SessionView {
  readonly sessionId: SessionId
  readonly state: SessionState
  readonly harnessSessionId: string | null
  readonly lastEventAt: number
  /** No harness event for `stall_timeout_secs` while Running. */
  readonly stalled: boolean
  readonly stallRetries: number
  readonly focused: boolean
  /** Set when a resume reattached to an agent a runner kept (Harness.ts, KeptAgent). */
  readonly kept?: KeptAgent
}

export interface Instruction {
  readonly reason: AgentInstructed["reason"]
  readonly attempt: number
  readonly text: string
}

export type StartFailure = HarnessError | BinaryUnavailable | StartQueueFull | SessionAlreadyLive
export type ControlFailure = HarnessError | SessionNotLive

/**
 * Owns the live agent sessions of this run: their lifecycle, the reader fiber that moves harness
 * events onto the bus, stall detection and the concurrency limit. Every change is published as a
 * domain event; the store writer persists them.
 */
export class SessionRuntime extends Context.Tag("orchestrator/SessionRuntime")<
  SessionRuntime,
  {
    /** Waits for a free slot, spawns, and sends the prompt. A failed spawn leaves nothing behind but a Crashed record. */
    readonly start: (request: StartRequest) => Effect.Effect<SessionView, StartFailure>
    readonly resume: (request: ResumeRequest) => Effect.Effect<SessionView, StartFailure>
    /** Records that a stored session cannot come back (rehydrate), unless it already ended. */
    readonly markCrashed: (sessionId: SessionId, from: SessionState, reason: string) => Effect.Effect<void>
    /** The person's message: a new turn, or a steer of the running one. */
    readonly sendInput: (sessionId: SessionId, text: string) => Effect.Effect<void, ControlFailure>
    /** Orchestrator's own instruction (checkpoint, CI failed, review comments, stall retry). */
    readonly instruct: (sessionId: SessionId, instruction: Instruction) => Effect.Effect<void, ControlFailure>
    readonly interrupt: (sessionId: SessionId) => Effect.Effect<void, ControlFailure>
    readonly answerInput: (
      sessionId: SessionId,
      requestId: string,
      answers: Readonly<Record<string, string>>
    ) => Effect.Effect<void, ControlFailure>
    readonly answerApproval: (sessionId: SessionId, requestId: string, decision: ApprovalDecision) => Effect.Effect<void, ControlFailure>
    readonly kill: (sessionId: SessionId) => Effect.Effect<void, SessionNotLive>
    /** Ends a session whose work is finished (merged or abandoned): state Done with the reason. */
    readonly finish: (sessionId: SessionId, reason: string) => Effect.Effect<void, SessionNotLive>
    /** One focused session at a time (the one on screen); null clears it. */
    readonly focus: (sessionId: SessionId | null) => Effect.Effect<void, SessionNotLive>
    readonly focused: Effect.Effect<Option.Option<SessionId>>
    readonly sessions: Effect.Effect<ReadonlyArray<SessionView>>
    readonly session: (sessionId: SessionId) => Effect.Effect<Option.Option<SessionView>>
  }
>() {}
