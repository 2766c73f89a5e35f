import type { Observation } from "../../src/programs/prPipeline/decision.js"

/** A pull request as GitHub shows it once out of draft: open, green, no review yet. */
export const openGreenPullRequest: Observation = {
  number: 7,
  url: "https://github.com/acme/widgets/pull/7",
  state: "OPEN",
  isDraft: false,
  reviewDecision: "REVIEW_REQUIRED",
  checks: "pass",
  failingChecks: [],
  headSha: "a".repeat(40)
}
