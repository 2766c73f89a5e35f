import { Option, Schema } from "effect"

/** GitHub pull request facts, in the shapes `gh ... --json` prints (PROTOCOLS.md). */

export const PullRequestState = Schema.Literal("OPEN", "CLOSED", "MERGED")
export type PullRequestState = typeof PullRequestState.Type

/** One entry of `statusCheckRollup`: a check run (Actions) or a commit status (other CI). */
export const RollupEntry = Schema.Union(
  Schema.Struct({
    __typename: Schema.Literal("CheckRun"),
    name: Schema.String,
    status: Schema.String,
    conclusion: Schema.NullOr(Schema.String),
    detailsUrl: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null })
  }),
  Schema.Struct({
    __typename: Schema.Literal("StatusContext"),
    context: Schema.String,
    state: Schema.String,
    targetUrl: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null })
  }),
  // A kind GitHub adds later must not make the whole pull request unreadable.
  Schema.Struct({ __typename: Schema.String })
)

export const pullRequestViewFields = [
  "number",
  "url",
  "state",
  "isDraft",
  "mergeable",
  "mergeStateStatus",
  "reviewDecision",
  "statusCheckRollup",
  "headRefName",
  "headRefOid",
  "baseRefName",
  "mergedAt"
] as const

export class PullRequest extends Schema.Class<PullRequest>("PullRequest")({
  number: Schema.Number,
  url: Schema.String,
  state: PullRequestState,
  isDraft: Schema.Boolean,
  mergeable: Schema.Literal("MERGEABLE", "CONFLICTING", "UNKNOWN"),
  /** CLEAN, BLOCKED, BEHIND, DIRTY, DRAFT, UNSTABLE, ...: open-ended on GitHub's side. */
  mergeStateStatus: Schema.String,
  /** APPROVED | CHANGES_REQUESTED | REVIEW_REQUIRED | "" (no review required). */
  reviewDecision: Schema.transform(Schema.NullOr(Schema.String), Schema.String, {
    strict: true,
    decode: (value) => value ?? "",
    encode: (value) => value
  }),
  statusCheckRollup: Schema.Array(RollupEntry),
  headRefName: Schema.String,
  headRefOid: Schema.String,
  baseRefName: Schema.String,
  mergedAt: Schema.NullOr(Schema.String)
}) {}

export const CheckBucket = Schema.Literal("pass", "fail", "pending", "skipping", "cancel")
export type CheckBucket = typeof CheckBucket.Type

export const checkFields = ["name", "state", "bucket", "link", "workflow"] as const

/** One row of `gh pr checks --json name,state,bucket,link,workflow`. */
export class CheckResult extends Schema.Class<CheckResult>("CheckResult")({
  name: Schema.String,
  state: Schema.String,
  bucket: CheckBucket,
  link: Schema.String,
  workflow: Schema.String
}) {}

/** A review comment on a line of the diff (`GET /repos/{owner}/{repo}/pulls/N/comments`). */
export class ReviewComment extends Schema.Class<ReviewComment>("ReviewComment")({
  id: Schema.Number,
  body: Schema.String,
  path: Schema.String,
  line: Schema.optionalWith(Schema.NullOr(Schema.Number), { default: () => null }),
  user: Schema.Struct({ login: Schema.String }),
  html_url: Schema.String
}) {}

export class PullRequestRef extends Schema.Class<PullRequestRef>("PullRequestRef")({
  number: Schema.Number,
  url: Schema.String
}) {}

export const MergeMethod = Schema.Literal("squash", "merge", "rebase")
export type MergeMethod = typeof MergeMethod.Type

/** `https://github.com/o/r/pull/12` → 12. */
export const pullRequestNumberFromUrl = (url: string): Option.Option<number> => {
  const match = /https:\/\/\S+\/pull\/(\d+)/.exec(url)
  return match?.[1] === undefined ? Option.none() : Option.some(Number(match[1]))
}
