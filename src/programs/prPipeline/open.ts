import { Effect } from "effect"
import { ArtifactCreated } from "../../domain/events.js"
import { ForbiddenTransition } from "../../domain/errors.js"
import { ArtifactId, type WorkItemId } from "../../domain/ids.js"
import { pullRequestBody, pullRequestTitle } from "../../domain/vcsPullRequestText.js"
import type { WorkflowState } from "../../domain/workflow.js"
import { EventStore } from "../../services/EventStore.js"
import { RepoHost } from "../../services/RepoHost.js"
import { Vcs } from "../../services/Vcs.js"
import { decideAndRecord, stay } from "../workflow/writer.js"
import { lastObservation, required, supersededInboxItems } from "./records.js"

const prFacts = { hasWorktree: true, hasSession: true, hasPullRequest: true, pullRequestMerged: false }

/** The pull request as an artifact of the work item, once: the id is deterministic. */
export const pullRequestArtifact = (workItemId: WorkItemId, pr: { readonly number: number; readonly url: string }) =>
  Effect.gen(function* () {
    const artifactId = ArtifactId.make(`${workItemId}:pr:${pr.number}`)
    const known = (yield* (yield* EventStore).artifacts({ workItemId })).some((artifact) => artifact.id === artifactId)
    return known
      ? []
      : [new ArtifactCreated({ artifactId, workItemId, sessionId: null, kind: "pullRequest", title: `PR #${pr.number}`, uri: pr.url })]
  })

/**
 * Pushes the work item's branch and opens its draft pull request (title and body from the ticket
 * and the agent's summary). Idempotent: an existing pull request for the branch is reused, and only
 * an Implementing item moves to PRDrafted.
 */
export const openDraftPullRequest = (workItemId: WorkItemId, agentSummary: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const vcs = yield* Vcs
    const host = yield* RepoHost
    const item = yield* Effect.flatMap(store.workItem(workItemId), required("work item", workItemId))
    const ticket = yield* Effect.flatMap(store.ticket(item.ticketId), required("ticket", item.ticketId))
    const tree = yield* Effect.flatMap(store.worktree(workItemId), required("worktree of work item", workItemId))
    yield* vcs.push(tree.path, { force: false })
    const opened = yield* host.createDraft({
      repoPath: tree.path,
      head: tree.branch,
      base: tree.baseBranch,
      title: pullRequestTitle(ticket),
      body: pullRequestBody(ticket, agentSummary)
    })
    yield* decideAndRecord(workItemId, (current) =>
      Effect.map(pullRequestArtifact(workItemId, opened), (artifact) =>
        current.state === "Implementing"
          ? { moves: [{ to: "PRDrafted", reason: "a draft pull request was opened" }], facts: prFacts, events: artifact, value: undefined }
          : stay(undefined, artifact)
      )
    )
    return opened
  })

/** Where marking the draft ready has nothing left to do: it is ready already, or further on. */
const readyOrLater: ReadonlyArray<WorkflowState> = ["ReadyForReview", "InReview", "PendingMerge", "Done"]

/**
 * The person approved the draft: mark it ready on GitHub and move on to ReadyForReview. Marking a
 * pull request ready twice is harmless, so a decision made again after a concurrent move may repeat
 * it; one that finds the item ready already records nothing.
 */
export const markPullRequestReady = (workItemId: WorkItemId) =>
  decideAndRecord(workItemId, (item) =>
    Effect.gen(function* () {
      if (readyOrLater.includes(item.state)) return stay(undefined)
      if (item.state !== "AwaitingYourReview" && item.state !== "PRDrafted") {
        return yield* new ForbiddenTransition({ from: item.state, to: "ReadyForReview", reason: "the pull request is not a draft waiting for review" })
      }
      const pr = yield* Effect.flatMap(lastObservation(workItemId), required("pull request of work item", workItemId))
      yield* (yield* RepoHost).markReady(item.repoPath, pr.number)
      const settled = yield* supersededInboxItems(workItemId, [], "ReadyForReview")
      return { moves: [{ to: "ReadyForReview", reason: "the person approved the draft" }], facts: prFacts, events: settled, value: undefined }
    })
  )
