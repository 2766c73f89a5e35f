import { Context, type Effect, type Stream } from "effect"
import type { StoreFailure } from "./EventStore.js"
import type { SupervisorScope } from "../domain/events.js"
import type { SessionId } from "../domain/ids.js"
import type { AnswerEvent, TicketDraft } from "../domain/supervisor.js"
import type { SupervisorAuthError, SupervisorError, SupervisorKeyMissing } from "../domain/supervisorErrors.js"
import type { QuestionKind } from "../domain/supervisorQuestions.js"

export type SupervisorFailure = SupervisorError | SupervisorAuthError | SupervisorKeyMissing | StoreFailure

export interface AskRequest {
  /** The person's words; for a built-in question, what to show as the question. */
  readonly question: string
  readonly scope: SupervisorScope
  /** A built-in question picked by key; null lets the wording pick one (or none). */
  readonly kind: QuestionKind | null
}

/** The supervisor LLM (SPEC §6): answers from a bounded context pack of the store, may call ticket tools. */
export class Supervisor extends Context.Tag("orchestrator/Supervisor")<
  Supervisor,
  {
    /**
     * Streams the answer. The query's lifecycle is recorded (started, coalesced chunks, tool calls,
     * finished / cancelled / failed); interrupting the stream cancels the query.
     */
    readonly ask: (request: AskRequest) => Stream.Stream<AnswerEvent, SupervisorFailure>
    /** One line for the side panel; recomputed only when the session's context changed. */
    readonly sessionSummary: (sessionId: SessionId) => Effect.Effect<string, SupervisorFailure>
    /** A ticket (title, description with scope and acceptance criteria) from a one-line brief. */
    readonly draftTicket: (brief: string) => Effect.Effect<TicketDraft, SupervisorFailure>
  }
>() {}
