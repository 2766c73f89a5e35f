import { Schema } from "effect"

/** GitHub REST issue answers as `gh api` prints them (docs.github.com/rest/issues/issues); unknown fields are ignored. */

export const GithubIssue = Schema.Struct({
  number: Schema.Number,
  title: Schema.String,
  /** Null for an issue opened without a description. */
  body: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
  html_url: Schema.String,
  /** `https://api.github.com/repos/OWNER/REPO`: where the issue lives, whatever repository was asked. */
  repository_url: Schema.String,
  state: Schema.Literal("open", "closed"),
  state_reason: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
  labels: Schema.Array(Schema.Struct({ name: Schema.String })),
  assignee: Schema.optionalWith(Schema.NullOr(Schema.Struct({ login: Schema.String })), { default: () => null }),
  updated_at: Schema.DateTimeUtc,
  /** Present on pull requests, which the issues endpoint lists too. */
  pull_request: Schema.optional(Schema.Unknown)
})
export type GithubIssue = typeof GithubIssue.Type

export const GithubIssues = Schema.Array(GithubIssue)

export const GithubUser = Schema.Struct({ login: Schema.String })

/** `gh repo view --json nameWithOwner`. */
export const RepoView = Schema.Struct({ nameWithOwner: Schema.String })
