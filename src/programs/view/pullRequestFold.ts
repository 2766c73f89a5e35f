import type { ArtifactCreated, PullRequestObserved } from "../../domain/events.js"
import type { PullRequestState, PullRequestView, ReviewState } from "./viewModel.js"

const stateOf = (event: PullRequestObserved): PullRequestState => {
  switch (event.state) {
    case "MERGED":
      return "merged"
    case "CLOSED":
      return "closed"
    case "OPEN":
      return event.isDraft ? "draft" : "open"
  }
}

// GitHub's reviewDecision; anything else (empty: no decision) shows as none.
const reviews: Readonly<Record<string, ReviewState>> = {
  APPROVED: "approved",
  CHANGES_REQUESTED: "changesRequested",
  REVIEW_REQUIRED: "reviewRequired"
}

/** What the newest observation says, all of it: an older view never survives a newer observation. */
export const observedPullRequest = (event: PullRequestObserved): PullRequestView => ({
  _tag: "Observed",
  number: event.number,
  url: event.url,
  state: stateOf(event),
  checks: event.checks,
  failingChecks: event.failingChecks.map((check) => check.name),
  review: reviews[event.reviewDecision] ?? null
})

/**
 * A pull request just opened: its link shows until an observation says more. An observation of
 * that same pull request is newer than its opening and stays; a different one (a new PR after a
 * closed one) gives way to the new link.
 */
export const linkedPullRequest = (current: PullRequestView | null, event: ArtifactCreated): PullRequestView | null => {
  if (event.kind !== "pullRequest" || event.uri === null) return current
  return current?._tag === "Observed" && current.url === event.uri ? current : { _tag: "Link", url: event.uri }
}
