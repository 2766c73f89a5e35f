import { Effect } from "effect"
import { ArtifactCreated, WorkflowTransition } from "../../domain/events.js"
import { ForbiddenTransition } from "../../domain/errors.js"
import { ArtifactId, type WorkItemId } from "../../domain/ids.js"
import { pullRequestBody, pullRequestTitle } from "../../domain/vcsPullRequestText.js"
import { EventStore } from "../../services/EventStore.js"
import { RepoHost } from "../../services/RepoHost.js"
import { Vcs } from "../../services/Vcs.js"
import { lastObservation, required } from "./records.js"

/**
 * Pushes the work item's branch and opens its draft pull request (title and body from the ticket
 * and the agent's summary). Idempotent: an existing pull request for the branch is reused.
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
    const artifactId = ArtifactId.make(`${workItemId}:pr:${opened.number}`)
    const known = (yield* store.artifacts({ workItemId })).some((artifact) => artifact.id === artifactId)
    yield* store.append([
      ...(known
        ? []
        : [new ArtifactCreated({ artifactId, workItemId, sessionId: null, kind: "pullRequest", title: `PR #${opened.number}`, uri: opened.url })]),
      ...(item.state === "Implementing"
        ? [new WorkflowTransition({ workItemId, from: "Implementing", to: "PRDrafted", reason: "a draft pull request was opened" })]
        : [])
    ])
    return opened
  })

/** The person approved the draft: mark it ready on GitHub and move on to ReadyForReview. */
export const markPullRequestReady = (workItemId: WorkItemId) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const host = yield* RepoHost
    const item = yield* Effect.flatMap(store.workItem(workItemId), required("work item", workItemId))
    if (item.state !== "AwaitingYourReview" && item.state !== "PRDrafted") {
      return yield* new ForbiddenTransition({ from: item.state, to: "ReadyForReview", reason: "the pull request is not a draft waiting for review" })
    }
    const pr = yield* Effect.flatMap(lastObservation(workItemId), required("pull request of work item", workItemId))
    yield* host.markReady(item.repoPath, pr.number)
    yield* store.append([
      new WorkflowTransition({ workItemId, from: item.state, to: "ReadyForReview", reason: "the person approved the draft" })
    ])
  })
