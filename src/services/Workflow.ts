import { Context, type Effect } from "effect"
import type { ForbiddenTransition } from "../domain/errors.js"
import type { SessionId, TicketId, WorkItemId } from "../domain/ids.js"
import type { RepositoryUnknown, WorkflowError } from "../domain/workflowErrors.js"

export type WorkflowFailure = WorkflowError | RepositoryUnknown | ForbiddenTransition

export interface Started {
  readonly workItemId: WorkItemId
  readonly sessionId: SessionId
}

/**
 * The use-cases that carry a ticket to a merged pull request (SPEC §3). Every step records events
 * and is idempotent on retry: starting a started ticket returns the existing work item.
 */
export class Workflow extends Context.Tag("orchestrator/Workflow")<
  Workflow,
  {
    /** Resolves the repository (`[projects]`, a remembered choice, or `repoPath`), creates branch + worktree, spawns the agent with a planning prelude. */
    readonly startTicket: (ticketId: TicketId, options?: { readonly repoPath?: string }) => Effect.Effect<Started, WorkflowFailure>
    /** `w n`: the next forward step (Planning → Implementing; Implementing → push + draft PR; draft → ready). */
    readonly advance: (workItemId: WorkItemId) => Effect.Effect<void, WorkflowFailure>
    /** Merges an approved, green pull request (the person confirmed). */
    readonly merge: (workItemId: WorkItemId) => Effect.Effect<void, WorkflowFailure>
    /** Abandons the work item and cleans up safely (work is saved before anything is removed). */
    readonly archive: (workItemId: WorkItemId) => Effect.Effect<void, WorkflowFailure>
    /** The worktree's diff against the merge base with its base branch. */
    readonly diff: (workItemId: WorkItemId) => Effect.Effect<string, WorkflowFailure>
  }
>() {}
