import { Schema } from "effect"
import { EpochMillis, TicketId } from "./ids.js"

export const TicketProvider = Schema.Literal("linear", "shortcut", "github", "jira", "local", "test")
export type TicketProvider = typeof TicketProvider.Type

/** Tracker state categories, Linear's vocabulary (Shortcut's unstarted/started/done map onto it). */
export const TicketStateType = Schema.Literal("triage", "backlog", "unstarted", "started", "completed", "canceled")
export type TicketStateType = typeof TicketStateType.Type

export class TicketState extends Schema.Class<TicketState>("TicketState")({
  name: Schema.String,
  type: TicketStateType
}) {}

/** 0 none, 1 urgent, 2 high, 3 medium, 4 low (Linear's scale). */
export const TicketPriority = Schema.Literal(0, 1, 2, 3, 4)
export type TicketPriority = typeof TicketPriority.Type

export class Ticket extends Schema.Class<Ticket>("Ticket")({
  id: TicketId,
  provider: TicketProvider,
  /** Human key such as `ENG-42` or `sc-1234`. */
  identifier: Schema.String,
  title: Schema.String,
  description: Schema.String,
  url: Schema.NullOr(Schema.String),
  priority: TicketPriority,
  state: TicketState,
  /** Project or team the ticket belongs to: the key of `[projects]`. */
  project: Schema.NullOr(Schema.String),
  team: Schema.NullOr(Schema.String),
  labels: Schema.Array(Schema.String),
  assignee: Schema.NullOr(Schema.String),
  updatedAt: EpochMillis
}) {}

/**
 * The keys a ticket may be mapped by under `[projects]`, first match first: its project, its team,
 * and for a tracker's ticket the identifier's prefix (Linear's team key). Every local ticket's
 * prefix is `LOCAL`: matching it would send all of them to one repository.
 */
export const projectKeys = (ticket: Ticket): ReadonlyArray<string> =>
  [ticket.project, ticket.team, ticket.provider === "local" ? null : (ticket.identifier.split("-")[0] ?? null)].filter(
    (key): key is string => key !== null && key !== ""
  )
