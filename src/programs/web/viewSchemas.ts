import { Schema } from "effect"
import { DomainEvent } from "../../domain/events.js"
import { SessionRow } from "../../domain/session.js"
import type { FocusedSession, InboxEntry, RunnerView, SessionItem, TicketEntry } from "../view/viewModel.js"

/**
 * The view model's shapes as schemas, for the API's declaration and its OpenAPI document. The view
 * model stays Effect-free (the page imports it); the checks at the bottom keep the two the same.
 */

const Stage = Schema.Literal("Planning", "Implementing", "Review", "Done", "Abandoned", "Other")

export const SessionItemSchema = Schema.Struct({
  sessionId: Schema.String,
  workItemId: Schema.NullOr(Schema.String),
  label: Schema.String,
  title: Schema.String,
  stage: Stage,
  state: Schema.String,
  workflowState: Schema.NullOr(Schema.String),
  active: Schema.Boolean,
  /** On a cluster: the runner whose machine runs it. */
  runner: Schema.optionalWith(Schema.NullOr(Schema.String), { exact: true })
}).annotations({ identifier: "SessionItem" })

export const RunnerViewSchema = Schema.Struct({
  name: Schema.String,
  host: Schema.String,
  online: Schema.Boolean,
  live: Schema.Number,
  maxSessions: Schema.Number
}).annotations({ identifier: "Runner" })

export const InboxEntrySchema = Schema.Struct({
  id: Schema.String,
  lane: Schema.Literal("decide", "approvals", "reviews", "fyi"),
  urgency: Schema.Number,
  title: Schema.String,
  sessionId: Schema.NullOr(Schema.String)
}).annotations({ identifier: "InboxEntry" })

export const TicketEntrySchema = Schema.Struct({
  id: Schema.String,
  identifier: Schema.String,
  title: Schema.String,
  project: Schema.String,
  stateName: Schema.String,
  started: Schema.Boolean
}).annotations({ identifier: "TicketEntry" })

const TranscriptBlockSchema = Schema.Struct({
  id: Schema.String,
  kind: Schema.Literal("message", "user", "reasoning", "command", "fileChange", "plan", "system", "skipped"),
  text: Schema.String
})

const PendingRequestSchema = Schema.Union(
  Schema.TaggedStruct("Input", {
    requestId: Schema.String,
    questions: Schema.Array(Schema.Struct({ id: Schema.String, question: Schema.String, options: Schema.Array(Schema.String) }))
  }),
  Schema.TaggedStruct("Approval", { requestId: Schema.String, kind: Schema.String, subject: Schema.String, reason: Schema.NullOr(Schema.String) })
)

const PullRequestViewSchema = Schema.Union(
  Schema.TaggedStruct("Link", { url: Schema.String }),
  Schema.TaggedStruct("Observed", {
    number: Schema.Number,
    url: Schema.String,
    state: Schema.Literal("draft", "open", "merged", "closed"),
    checks: Schema.Literal("pass", "fail", "pending", "none"),
    failingChecks: Schema.Array(Schema.String),
    review: Schema.NullOr(Schema.Literal("approved", "changesRequested", "reviewRequired"))
  })
)

export const FocusedSessionSchema = Schema.Struct({
  sessionId: Schema.String,
  workItemId: Schema.NullOr(Schema.String),
  label: Schema.String,
  state: Schema.String,
  workflowState: Schema.NullOr(Schema.String),
  turnActive: Schema.Boolean,
  blocks: Schema.Array(TranscriptBlockSchema),
  pending: Schema.Array(PendingRequestSchema),
  side: Schema.Struct({
    pullRequest: Schema.NullOr(PullRequestViewSchema),
    changedFiles: Schema.Array(Schema.String),
    summary: Schema.NullOr(Schema.String)
  })
}).annotations({ identifier: "FocusedSession" })

const Tokens = Schema.Struct({ input: Schema.Number, output: Schema.Number, total: Schema.Number })

export const StateSnapshot = Schema.Struct({
  /** The store sequence this snapshot reflects: open the event stream after it. */
  seq: Schema.Number,
  sessions: Schema.Array(SessionItemSchema),
  inbox: Schema.Array(InboxEntrySchema),
  tickets: Schema.Array(TicketEntrySchema),
  counts: Schema.Struct({ running: Schema.Number, live: Schema.Number, queued: Schema.Number, inbox: Schema.Number }),
  tokens: Tokens,
  supervisor: Schema.Boolean,
  /** On a cluster: its runners and their health (empty on a single machine). */
  runners: Schema.Array(RunnerViewSchema)
}).annotations({ identifier: "StateSnapshot" })
export type StateSnapshot = typeof StateSnapshot.Type

export const SessionDetail = Schema.Struct({
  seq: Schema.Number,
  session: SessionRow,
  view: FocusedSessionSchema,
  tokens: Tokens
}).annotations({ identifier: "SessionDetail" })
export type SessionDetail = typeof SessionDetail.Type

export const StoredEventSchema = Schema.Struct({ seq: Schema.Number, at: Schema.Number, event: DomainEvent }).annotations({ identifier: "StoredEvent" })

// Compile-time checks: each schema's type and the view model's interface accept each other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const same = <_ extends true>() => undefined
same<Same<typeof SessionItemSchema.Type, SessionItem>>()
same<Same<typeof RunnerViewSchema.Type, RunnerView>>()
same<Same<typeof InboxEntrySchema.Type, InboxEntry>>()
same<Same<typeof TicketEntrySchema.Type, TicketEntry>>()
same<Same<typeof FocusedSessionSchema.Type, FocusedSession>>()
