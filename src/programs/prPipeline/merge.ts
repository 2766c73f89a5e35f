import { Duration, Effect, Either, Option, Schedule } from "effect"
import { type DomainEvent, WorktreeRemoved } from "../../domain/events.js"
import { ForbiddenTransition } from "../../domain/errors.js"
import type { WorkItemId } from "../../domain/ids.js"
import { RepoHostError, UNANSWERED_EXIT } from "../../domain/vcsErrors.js"
import type { WorkItem } from "../../domain/workItem.js"
import { EventStore, type StoreFailure } from "../../services/EventStore.js"
import { RepoHost } from "../../services/RepoHost.js"
import { Vcs } from "../../services/Vcs.js"
import { type Decision, decideAndRecord, stay } from "../workflow/writer.js"
import type { Observation } from "./decision.js"
import { inboxEvent, lastObservation, MERGE_REQUEST_PREFIX, observedEvent, required, supersededInboxItems } from "./records.js"

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

/** Removes the worktree of a finished work item and records it (or why it stays). */
export const cleanUp = (workItemId: WorkItemId, headSha: string | null) =>
  Effect.flatMap(cleanupEvents(workItemId, headSha), (events) => Effect.flatMap(EventStore, (store) => store.append(events)))

/** A merge that got no answer is asked again every 2 s, 10 times (a runner restarting its entities takes seconds). */
const UNANSWERED_RETRY = Schedule.intersect(Schedule.spaced(Duration.seconds(2)), Schedule.recurs(10))

const mergedFacts = { hasWorktree: true, hasSession: true, hasPullRequest: true, pullRequestMerged: true }

/** The merge as a decision from a PendingMerge reading: Done with the pull request observed merged, or back to InReview. */
const mergeDecision = (item: WorkItem, pr: Observation) =>
  Effect.gen(function* () {
    const host = yield* RepoHost
    const merged = yield* Effect.either(
      pr.headSha === null
        ? Effect.fail(new RepoHostError({ operation: "pr merge", exitCode: -1, detail: "the pull request's head commit is unknown" }))
        : host.merge({ repoPath: item.repoPath, number: pr.number, headSha: pr.headSha }).pipe(
            // No answer (its runner away or restarting) is not GitHub refusing: asked again for a while.
            Effect.retry({ schedule: UNANSWERED_RETRY, while: (error) => error._tag === "RepoHostError" && error.exitCode === UNANSWERED_EXIT })
          )
    )
    if (Either.isRight(merged)) {
      // What orchestrator saw happen is an observation of the pull request like any poll's.
      const events = [observedEvent(item.id, { ...pr, state: "MERGED", isDraft: false })]
      const done: Decision<boolean> = {
        moves: [{ to: "Done", reason: `merged by orchestrator (${merged.right})` }],
        facts: mergedFacts,
        events: [...events, ...(yield* supersededInboxItems(item.id, events, "Done"))],
        value: true
      }
      return done
    }
    const reason = merged.left.message
    const events = [
      inboxEvent(item.id, {
        key: `merge-failed:${pr.headSha ?? "none"}`,
        lane: "decide",
        urgency: 70,
        title: `Merging PR #${pr.number} failed`,
        body: `${reason} ${pr.url}`
      })
    ]
    const failed: Decision<boolean> = {
      moves: [{ to: "InReview", reason: `the merge failed: ${reason}` }],
      facts: mergedFacts,
      events: [...events, ...(yield* supersededInboxItems(item.id, events, "InReview"))],
      value: false
    }
    return failed
  })

/**
 * Merges a PendingMerge item at the head the person (or auto_merge) saw; GitHub refuses if it
 * moved. Success: Done, the merge observed, then cleanup. Failure: back to InReview with an inbox
 * item saying why. Read again after a concurrent move, an item already Done counts as merged; one
 * that left PendingMerge otherwise is refused when `strict` (the person asked), else left alone.
 */
export const mergePullRequest = <E, R>(workItemId: WorkItemId, observation: Effect.Effect<Observation, E, R>, strict: boolean) =>
  Effect.gen(function* () {
    const recorded = yield* decideAndRecord(workItemId, (item) =>
      Effect.gen(function* () {
        if (item.state === "Done") return stay({ merged: true, headSha: null })
        if (item.state !== "PendingMerge") {
          if (!strict) return stay({ merged: false, headSha: null })
          return yield* new ForbiddenTransition({ from: item.state, to: "Done", reason: "the work item is not waiting for a merge" })
        }
        const pr = yield* observation
        const decision = yield* mergeDecision(item, pr)
        return { ...decision, value: { merged: decision.value, headSha: pr.headSha } }
      })
    )
    if (recorded.moved && recorded.state === "Done") yield* cleanUp(workItemId, recorded.value.headSha)
    return { merged: recorded.value.merged }
  })

export const mergeRequestId = (pr: Observation): string => `${MERGE_REQUEST_PREFIX}${pr.number}:${pr.headSha ?? "none"}`

/** The person confirmed the merge of a PendingMerge work item, at the head last observed. */
export const confirmMerge = (workItemId: WorkItemId) =>
  mergePullRequest(workItemId, Effect.flatMap(lastObservation(workItemId), required("pull request of work item", workItemId)), true)
