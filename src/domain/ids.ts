import { Schema } from "effect"
import { ticketIdPattern } from "./literals.js"

/** Namespaced ticket id: `linear:<id>`, `shortcut:<id>` or `local:<id>`. */
export const TicketId = Schema.String.pipe(
  Schema.pattern(ticketIdPattern),
  Schema.brand("TicketId")
)
export type TicketId = typeof TicketId.Type

export const WorkItemId = Schema.String.pipe(Schema.minLength(1), Schema.brand("WorkItemId"))
export type WorkItemId = typeof WorkItemId.Type

export const SessionId = Schema.String.pipe(Schema.minLength(1), Schema.brand("SessionId"))
export type SessionId = typeof SessionId.Type

export const ArtifactId = Schema.String.pipe(Schema.minLength(1), Schema.brand("ArtifactId"))
export type ArtifactId = typeof ArtifactId.Type

export const InboxItemId = Schema.String.pipe(Schema.minLength(1), Schema.brand("InboxItemId"))
export type InboxItemId = typeof InboxItemId.Type

export const QueryId = Schema.String.pipe(Schema.minLength(1), Schema.brand("QueryId"))
export type QueryId = typeof QueryId.Type

/** Milliseconds since the epoch, as read from `Clock`. */
export const EpochMillis = Schema.Number.pipe(Schema.int(), Schema.nonNegative())
export type EpochMillis = typeof EpochMillis.Type
