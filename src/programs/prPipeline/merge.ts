import { Effect, Either, Option } from "effect"
import { type DomainEvent, WorktreeRemoved } from "../../domain/events.js"
import { ForbiddenTransition } from "../../domain/errors.js"
import type { WorkItemId } from "../../domain/ids.js"
import { RepoHostError } from "../../domain/vcsErrors.js"
import type { WorkItem } from "../../domain/workItem.js"
import { EventStore, type StoreFailure } from "../../services/EventStore.js"
import { RepoHost } from "../../services/RepoHost.js"
import { Vcs } from "../../services/Vcs.js"
import type { Observation } from "./decision.js"
import {
  inboxEvent,
  lastObservation,
  MERGE_REQUEST_PREFIX,
  moveEvents,
  required,
  supersededInboxItems
} from "./records.js"

/**
 * After Done the worktree goes, through the Vcs safety rules. A refusal (flags off) or a git
 * failure keeps the worktree and tells the person why; it never fails the pipeline.
 */
export const cleanupEvents = (workItemId: WorkItemId, headSha: string | null): Effect.Effect<
  ReadonlyArray<DomainEvent>,
  StoreFailure,
  EventStore | Vcs
> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const vcs = yield* Vcs
    const tree = yield* store.worktree(workItemId)
    if (Option.isNone(tree) || tree.value.removedAt !== null) return []
    const { baseBranch, path, repoPath } = tree.value
    return yield* vcs
      .removeWorktree({ repoPath, path, deleteBranch: true, mergedHeadSha: Option.fromNullable(headSha), baseBranch })
      .pipe(
        Effect.map((removed): ReadonlyArray<DomainEvent> => [
          new WorktreeRemoved({ workItemId, path, savedRef: Option.getOrNull(removed.savedRef) })
        ]),
        Effect.catchAll((error) =>
          Effect.succeed([
            inboxEvent(workItemId, {
              key: `worktree-kept:${headSha ?? "none"}`,
              lane: "fyi",
              urgency: 10,
              title: `Worktree kept after merge: ${path}`,
              body: error.message
            })
          ])
        )
      )
  })

/**
 * Merges a PendingMerge item at the head the person (or auto_merge) saw; GitHub refuses if it
 * moved. Success: Done and cleanup. Failure: back to InReview with an inbox item saying why.
 */
export const mergeEvents = (item: WorkItem, pr: Observation) =>
  Effect.gen(function* () {
    const host = yield* RepoHost
    const merged = yield* Effect.either(
      pr.headSha === null
        ? Effect.fail(new RepoHostError({ operation: "pr merge", exitCode: -1, detail: "the pull request's head commit is unknown" }))
        : host.merge({ repoPath: item.repoPath, number: pr.number, headSha: pr.headSha })
    )
    if (Either.isRight(merged)) {
      const cleanup = yield* cleanupEvents(item.id, pr.headSha)
      return [
        ...moveEvents(item.id, [{ from: "PendingMerge", to: "Done", reason: `merged by orchestrator (${merged.right})` }]),
        ...cleanup
      ]
    }
    const reason = merged.left.message
    return [
      ...moveEvents(item.id, [{ from: "PendingMerge", to: "InReview", reason: `the merge failed: ${reason}` }]),
      inboxEvent(item.id, {
        key: `merge-failed:${pr.headSha ?? "none"}`,
        lane: "decide",
        urgency: 70,
        title: `Merging PR #${pr.number} failed`,
        body: `${reason} ${pr.url}`
      })
    ]
  })

export const mergeRequestId = (pr: Observation): string => `${MERGE_REQUEST_PREFIX}${pr.number}:${pr.headSha ?? "none"}`

/** The person confirmed the merge of a PendingMerge work item. */
export const confirmMerge = (workItemId: WorkItemId) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const item = yield* Effect.flatMap(store.workItem(workItemId), required("work item", workItemId))
    if (item.state !== "PendingMerge") {
      return yield* new ForbiddenTransition({ from: item.state, to: "Done", reason: "the work item is not waiting for a merge" })
    }
    const pr = yield* Effect.flatMap(lastObservation(workItemId), required("pull request of work item", workItemId))
    const events = yield* mergeEvents(item, pr)
    const merged = events.some((event) => event._tag === "WorkflowTransition" && event.to === "Done")
    yield* store.append([...events, ...(yield* supersededInboxItems(workItemId, events))])
    return { merged }
  })
