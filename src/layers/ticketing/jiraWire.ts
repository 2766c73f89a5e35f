import { Schema } from "effect"
import { AdfNode } from "./jiraAdf.js"

/** Jira Cloud REST v3 answers (developer.atlassian.com/cloud/jira/platform/rest/v3); unknown fields are ignored. */

/** `2025-01-01T10:00:00.000+0000`: Jira's offset has no colon. */
export const jiraMillis = (text: string): number => Date.parse(text.replace(/([+-]\d\d)(\d\d)$/, "$1:$2"))

const JiraTime = Schema.String.pipe(
  Schema.filter((text) => !Number.isNaN(jiraMillis(text)), { message: () => "a Jira timestamp" })
)

export const JiraIssue = Schema.Struct({
  id: Schema.String,
  key: Schema.String,
  fields: Schema.Struct({
    summary: Schema.String,
    description: Schema.optionalWith(Schema.NullOr(AdfNode), { default: () => null }),
    status: Schema.Struct({ name: Schema.String, statusCategory: Schema.Struct({ key: Schema.String }) }),
    labels: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
    assignee: Schema.optionalWith(Schema.NullOr(Schema.Struct({ displayName: Schema.String })), { default: () => null }),
    updated: JiraTime,
    project: Schema.optional(Schema.Struct({ key: Schema.String })),
    priority: Schema.optionalWith(Schema.NullOr(Schema.Struct({ name: Schema.String })), { default: () => null })
  })
})
export type JiraIssue = typeof JiraIssue.Type

/** The fields a listing asks for: no more than a ticket holds. */
export const issueFields = ["summary", "description", "status", "labels", "assignee", "updated", "project", "priority"]

/** `nextPageToken` is left out (not null) on the last page. */
export const SearchPage = Schema.Struct({
  issues: Schema.Array(JiraIssue),
  nextPageToken: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
  isLast: Schema.optional(Schema.Boolean)
})

export const Transitions = Schema.Struct({
  transitions: Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.String, to: Schema.Struct({ name: Schema.String }) }))
})

export const Myself = Schema.Struct({
  accountId: Schema.String,
  displayName: Schema.String,
  /** The person's time zone: JQL dates are read in it. */
  timeZone: Schema.optionalWith(Schema.String, { default: () => "UTC" })
})

export const Created = Schema.Struct({ id: Schema.String, key: Schema.String })

/** 204 No Content: an empty body parses as null. */
export const NoContent = Schema.Null

/** An answer whose body is not used (a comment, a remote link). */
export const Anything = Schema.Unknown
