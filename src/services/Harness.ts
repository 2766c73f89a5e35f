import { Context, type Effect, type Stream } from "effect"
import type { ApprovalPolicy, SandboxMode } from "../domain/config.js"
import type { BinaryUnavailable, HarnessError } from "../domain/errors.js"
import type { SessionId } from "../domain/ids.js"
import type { HarnessId } from "../domain/session.js"
import type { WorkerEvent } from "../domain/workerEvent.js"

export interface SessionSpec {
  readonly sessionId: SessionId
  readonly worktreePath: string
  readonly model: string | null
  /** Developer instructions for the whole session (the ticket's context). */
  readonly instructions: string
  /** Extra environment for the agent; secrets are stripped by the harness regardless. */
  readonly env: Readonly<Record<string, string>>
  readonly approvalPolicy: typeof ApprovalPolicy.Type
  readonly sandbox: typeof SandboxMode.Type
}

export type ApprovalDecision = "accept" | "acceptForSession" | "decline"

/**
 * What a resume found a cluster's runner still holding for the session while no coordinator was
 * connected: the agent itself, with a turn still under way or events unread (they follow on
 * `events`), or an input the runner had died in, delivered again and run once the agent is back.
 */
export interface KeptAgent {
  readonly turnRunning: boolean
  readonly unread: number
  readonly inputWaiting: boolean
}

/** A live agent session. Its `events` end after Done, Crashed or kill. */
export interface HarnessHandle {
  readonly sessionId: SessionId
  /** The harness's own id (Codex thread id, OpenCode session id), stored for resume. */
  readonly harnessSessionId: string
  readonly events: Stream.Stream<WorkerEvent, HarnessError>
  /** Starts a new turn, or steers the active one when a turn is running. */
  readonly sendInput: (text: string) => Effect.Effect<void, HarnessError>
  readonly interrupt: Effect.Effect<void, HarnessError>
  readonly answerInput: (requestId: string, answers: Readonly<Record<string, string>>) => Effect.Effect<void, HarnessError>
  readonly answerApproval: (requestId: string, decision: ApprovalDecision) => Effect.Effect<void, HarnessError>
  readonly kill: Effect.Effect<void>
  readonly kept?: KeptAgent
}

export interface HarnessCapabilities {
  readonly steer: boolean
  readonly interrupt: boolean
  readonly resume: boolean
  readonly approvals: boolean
  readonly needsInput: boolean
}

export class Harness extends Context.Tag("orchestrator/Harness")<
  Harness,
  {
    readonly id: HarnessId
    readonly capabilities: HarnessCapabilities
    /** The binary's version or the server's health line. */
    readonly health: Effect.Effect<string, HarnessError | BinaryUnavailable>
    readonly spawn: (spec: SessionSpec) => Effect.Effect<HarnessHandle, HarnessError | BinaryUnavailable>
    /** Reattaches to a stored harness session after a restart; the agent keeps its history. */
    readonly resume: (spec: SessionSpec, harnessSessionId: string) => Effect.Effect<HarnessHandle, HarnessError | BinaryUnavailable>
    /**
     * Stops whatever may still run of a session this run cannot resume: its start was under way when
     * the last run died, so no harness session was recorded. An agent on a runner outlives the
     * coordinator and is killed there; a local agent died with the run, so local harnesses leave this out.
     */
    readonly abandon?: (session: { readonly sessionId: SessionId; readonly worktreePath: string }) => Effect.Effect<void>
  }
>() {}
