import { Effect, Layer, Option } from "effect"
import { randomUUID } from "node:crypto"
import { type DomainEvent, WorkItemCreated, WorktreeCreated, WorktreeRemoved } from "../../domain/events.js"
import { ForbiddenTransition } from "../../domain/errors.js"
import { SessionId, type TicketId, WorkItemId } from "../../domain/ids.js"
import { isTerminalSessionState } from "../../domain/session.js"
import { isTerminalWorkflowState, type TransitionFacts, type WorkflowState } from "../../domain/workflow.js"
import { WorkflowError } from "../../domain/workflowErrors.js"
import type { WorkItem } from "../../domain/workItem.js"
import { openDraftPullRequest, markPullRequestReady } from "../prPipeline/open.js"
import { confirmMerge } from "../prPipeline/merge.js"
import { processWorkItem } from "../prPipeline/pipeline.js"
import { agentChannel } from "../engine/agentChannel.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventStore } from "../../services/EventStore.js"
import { RepoHost } from "../../services/RepoHost.js"
import { SessionRuntime } from "../../services/SessionRuntime.js"
import { Ticketing } from "../../services/Ticketing.js"
import { Vcs } from "../../services/Vcs.js"
import { Workflow } from "../../services/Workflow.js"
import { developerInstructions, implementInstruction, planningPrelude } from "./prelude.js"
import { resolveRepository } from "./repository.js"
import { agentSummary } from "./summary.js"
import { trackerPullRequest } from "./tracker.js"
import { decideAndRecord, stay } from "./writer.js"

/** Any failure of a port becomes one WorkflowError naming the step. */
const step =
  (operation: string) =>
  <A, E extends { readonly message: string }, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.mapError(effect, (error) =>
      error instanceof WorkflowError || error instanceof ForbiddenTransition ? error : new WorkflowError({ operation, detail: error.message })
    )

export const makeWorkflow = Effect.gen(function* () {
  const config = yield* AppConfig
  const store = yield* EventStore
  const ticketing = yield* Ticketing
  const vcs = yield* Vcs
  const host = yield* RepoHost
  const runtime = yield* SessionRuntime
  const deps = { store, ticketing }
  // Everything a workflow step needs from the outside, for the pipeline programs it reuses.
  const provide = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    effect.pipe(
      Effect.provideService(EventStore, store),
      Effect.provideService(Vcs, vcs),
      Effect.provideService(RepoHost, host),
      Effect.provideService(AppConfig, config),
      Effect.provideService(Ticketing, ticketing)
    ) as Effect.Effect<A, E, Exclude<R, EventStore | Vcs | RepoHost | AppConfig | Ticketing>>

  const workItem = (id: WorkItemId) =>
    Effect.flatMap(step("read the work item")(store.workItem(id)), (found) =>
      Option.match(found, {
        onNone: () => Effect.fail(new WorkflowError({ operation: "find the work item", detail: `no work item ${id}` })),
        onSome: Effect.succeed
      })
    )

  const ticketOf = (item: WorkItem) =>
    Effect.flatMap(step("read the ticket")(store.ticket(item.ticketId)), (found) =>
      Option.match(found, {
        onNone: () => Effect.fail(new WorkflowError({ operation: "find the ticket", detail: `ticket ${item.ticketId} is not in the store` })),
        onSome: Effect.succeed
      })
    )

  /** The work item's most recently active session. */
  const sessionOf = (id: WorkItemId) => Effect.map(step("read sessions")(store.workItemSessions(id)), (rows) => Option.fromNullable(rows[0]))

  /**
   * Moves the work item `from` → `to` through the workflow writer: decided from the state it is in
   * when recorded, so a second press, or the pipeline moving it first, records nothing. Answers
   * whether this call made the move.
   */
  const moveFrom = (id: WorkItemId, from: (state: WorkflowState) => boolean, to: WorkflowState, reason: string, facts: TransitionFacts, events: ReadonlyArray<DomainEvent> = []) =>
    Effect.map(
      step("record the move")(
        provide(decideAndRecord(id, (item) => Effect.succeed(from(item.state) ? { moves: [{ to, reason }], facts, events, value: undefined } : stay(undefined, events))))
      ),
      (recorded) => recorded.moved
    )

  const sessionFacts: TransitionFacts = { hasWorktree: true, hasSession: true, hasPullRequest: false, pullRequestMerged: false }

  const startTicket = (ticketId: TicketId, options?: { readonly repoPath?: string }) =>
    Effect.gen(function* () {
      const ticket = yield* Effect.flatMap(step("read the ticket")(store.ticket(ticketId)), (found) =>
        Option.match(found, {
          onNone: () => Effect.fail(new WorkflowError({ operation: "start the ticket", detail: `ticket ${ticketId} is not in the store; sync or add it first` })),
          onSome: Effect.succeed
        })
      )
      const existing = yield* step("read work items")(store.workItemForTicket(ticketId))
      const reusable = Option.filter(existing, (item) => !isTerminalWorkflowState(item.state))
      const repoPath = Option.isSome(reusable)
        ? reusable.value.repoPath
        : yield* resolveRepository(config, store, ticket, options?.repoPath)
      const workItemId = Option.isSome(reusable) ? reusable.value.id : WorkItemId.make(`wi-${randomUUID().slice(0, 8)}`)
      if (Option.isNone(reusable)) yield* step("record the work item")(store.append([new WorkItemCreated({ workItemId, ticketId, repoPath })]))

      const tree = yield* step("create the worktree")(
        vcs.ensureWorktree({ repoPath, ticketKey: ticket.identifier, title: ticket.title, baseBranch: Option.none() })
      )
      const recorded = yield* step("read the worktree")(store.worktree(workItemId))
      if (Option.isNone(recorded) || recorded.value.path !== tree.path || recorded.value.removedAt !== null) {
        yield* step("record the worktree")(
          store.append([new WorktreeCreated({ workItemId, repoPath, path: tree.path, branch: tree.branch, baseBranch: tree.baseBranch })])
        )
      }

      // A live session of this work item is the answer to a second start.
      const previous = yield* sessionOf(workItemId)
      if (Option.isSome(previous) && !isTerminalSessionState(previous.value.state)) {
        return { workItemId, sessionId: previous.value.id }
      }
      const sessionId = SessionId.make(`ses-${randomUUID().slice(0, 8)}`)
      const settings = config.settings.runtime
      yield* step("start the agent")(
        runtime.start({
          spec: {
            sessionId,
            worktreePath: tree.path,
            model: null,
            instructions: developerInstructions(ticket, tree.branch),
            env: {},
            approvalPolicy: settings.approval_policy,
            sandbox: settings.sandbox
          },
          workItemId,
          ticketId,
          prompt: planningPrelude(ticket)
        })
      )
      yield* moveFrom(workItemId, (state) => state === "New", "Planning", "the agent started planning", sessionFacts)
      return { workItemId, sessionId }
    })

  const liveSession = (id: WorkItemId) =>
    Effect.flatMap(sessionOf(id), (found) =>
      Option.match(Option.filter(found, (row) => !isTerminalSessionState(row.state)), {
        onNone: () => Effect.fail(new WorkflowError({ operation: "reach the agent", detail: "the work item has no live session" })),
        onSome: (row) => Effect.succeed(row.id)
      })
    )

  const openPullRequest = (item: WorkItem) =>
    Effect.gen(function* () {
      const tree = yield* Effect.flatMap(step("read the worktree")(store.worktree(item.id)), (found) =>
        Option.match(found, {
          onNone: () => Effect.fail(new WorkflowError({ operation: "open the pull request", detail: "the work item has no worktree" })),
          onSome: Effect.succeed
        })
      )
      const ticket = yield* ticketOf(item)
      // Work the agent left uncommitted goes into the pull request rather than being left behind.
      const status = yield* step("read the worktree status")(vcs.status(tree.path))
      if (status.dirtyFiles.length > 0) yield* step("commit the agent's work")(vcs.commitAll(tree.path, `${ticket.identifier}: work by the agent`))
      const ahead = yield* step("read the worktree status")(vcs.status(tree.path))
      const diff = yield* step("diff the worktree")(vcs.diff(tree.path, tree.baseBranch))
      if (diff.trim() === "" && ahead.ahead === 0) {
        return yield* new WorkflowError({ operation: "open the pull request", detail: "the branch has no changes yet" })
      }
      const summary = yield* step("read the transcript")(agentSummary(store, item.id))
      const opened = yield* step("open the pull request")(provide(openDraftPullRequest(item.id, summary)))
      yield* trackerPullRequest(deps, config.settings.tracker, item, opened, summary)
    })

  const advance = (id: WorkItemId) =>
    Effect.gen(function* () {
      const item = yield* workItem(id)
      switch (item.state) {
        case "New":
          return yield* Effect.asVoid(startTicket(item.ticketId))
        case "Planning": {
          const sessionId = yield* liveSession(id)
          // Only the call that made the move instructs: a second press finds it Implementing already.
          const moved = yield* moveFrom(id, (state) => state === "Planning", "Implementing", "the plan was accepted", sessionFacts)
          if (moved) yield* step("instruct the agent")(runtime.instruct(sessionId, { reason: "workflow", attempt: 1, text: implementInstruction }))
          return
        }
        case "Implementing":
          return yield* openPullRequest(item)
        case "PRDrafted":
        case "AwaitingYourReview": {
          // Marking ready needs the pull request as GitHub sees it now: observe it first.
          yield* step("read the pull request")(provide(processWorkItem(agentChannel(store, runtime), item)))
          return yield* Effect.asVoid(step("mark the pull request ready")(provide(markPullRequestReady(id))))
        }
        case "PendingMerge":
          return yield* merge(id)
        default:
          return yield* new ForbiddenTransition({ from: item.state, to: "next", reason: "this step waits for the pull request's reviews and checks" })
      }
    })

  const merge = (id: WorkItemId) =>
    Effect.gen(function* () {
      const result = yield* step("merge the pull request")(provide(confirmMerge(id)))
      if (!result.merged) return yield* new WorkflowError({ operation: "merge the pull request", detail: "GitHub refused the merge; it is back in review" })
      const session = yield* sessionOf(id)
      if (Option.isSome(session) && !isTerminalSessionState(session.value.state)) yield* Effect.ignore(runtime.finish(session.value.id, "its pull request was merged"))
    })

  const archive = (id: WorkItemId) =>
    Effect.gen(function* () {
      const item = yield* workItem(id)
      if (isTerminalWorkflowState(item.state)) return
      const session = yield* sessionOf(id)
      if (Option.isSome(session) && !isTerminalSessionState(session.value.state)) yield* Effect.ignore(runtime.kill(session.value.id))
      const events: Array<DomainEvent> = []
      const tree = yield* step("read the worktree")(store.worktree(id))
      if (Option.isSome(tree) && tree.value.removedAt === null) {
        // Never deletes the branch: abandoned work stays recoverable; dirty files are saved to a ref first.
        const removed = yield* step("remove the worktree")(
          vcs.removeWorktree({ repoPath: tree.value.repoPath, path: tree.value.path, deleteBranch: false, mergedHeadSha: Option.none() })
        )
        events.push(new WorktreeRemoved({ workItemId: id, path: tree.value.path, savedRef: Option.getOrNull(removed.savedRef) }))
      }
      // The removal is recorded even if the item finished meanwhile: the worktree is gone either way.
      yield* moveFrom(id, (state) => !isTerminalWorkflowState(state), "Abandoned", "archived by the person", { ...sessionFacts, hasSession: false }, events)
    })

  const diff = (id: WorkItemId) =>
    Effect.gen(function* () {
      const tree = yield* step("read the worktree")(store.worktree(id))
      if (Option.isNone(tree) || tree.value.removedAt !== null) return ""
      return yield* step("diff the worktree")(vcs.diff(tree.value.path, tree.value.baseBranch))
    })

  return Workflow.of({ startTicket, advance, merge, archive, diff })
})

export const WorkflowLive = Layer.effect(Workflow, makeWorkflow)
