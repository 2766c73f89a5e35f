import * as Tool from "@effect/ai/Tool"
import * as Toolkit from "@effect/ai/Toolkit"
import { Effect, Schema } from "effect"
import { SupervisorToolCalled, TicketSynced } from "../../domain/events.js"
import { type QueryId, TicketId } from "../../domain/ids.js"
import type { Ticket } from "../../domain/ticket.js"
import { WorkflowState } from "../../domain/workflow.js"
import type { EventStore } from "../../services/EventStore.js"
import type { Ticketing } from "../../services/Ticketing.js"
import { clip } from "./contextPackLines.js"

/** What the model sees of a ticket: enough to reason, bounded. */
const TicketBrief = Schema.Struct({
  id: Schema.String,
  identifier: Schema.String,
  title: Schema.String,
  state: Schema.String,
  priority: Schema.Number,
  url: Schema.NullOr(Schema.String)
})
const TicketDetail = Schema.Struct({ ...TicketBrief.fields, description: Schema.String, labels: Schema.Array(Schema.String) })

// failureMode "return": a tracker error goes back to the model as the tool's result, not out of the query.
const ListTickets = Tool.make("list_tickets", {
  description: "List tickets from the tracker, optionally filtered by a search text.",
  parameters: { search: Schema.NullOr(Schema.String), limit: Schema.Int.pipe(Schema.between(1, 50)) },
  success: Schema.Array(TicketBrief),
  failure: Schema.String,
  failureMode: "return"
})
const GetTicket = Tool.make("get_ticket", {
  description: "Get one ticket by its id (for example linear:abc or local:7).",
  parameters: { id: Schema.String },
  success: TicketDetail,
  failure: Schema.String,
  failureMode: "return"
})
const UpdateTicketState = Tool.make("update_ticket_state", {
  description: "Move a ticket to the tracker state mapped from an orchestrator workflow state.",
  parameters: { id: Schema.String, state: WorkflowState },
  success: TicketBrief,
  failure: Schema.String,
  failureMode: "return"
})
const CommentOnTicket = Tool.make("comment_on_ticket", {
  description: "Add a comment to a ticket on the tracker.",
  parameters: { id: Schema.String, body: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(4000)) },
  success: Schema.Literal("commented"),
  failure: Schema.String,
  failureMode: "return"
})

export const SupervisorToolkit = Toolkit.make(ListTickets, GetTicket, UpdateTicketState, CommentOnTicket)

const maxDescription = 2000
const maxRecordedResult = 2000

const brief = (ticket: Ticket) => ({
  id: ticket.id,
  identifier: ticket.identifier,
  title: ticket.title,
  state: ticket.state.name,
  priority: ticket.priority,
  url: ticket.url
})

const decodeTicketId = (raw: string) =>
  Schema.decodeUnknown(TicketId)(raw).pipe(
    Effect.mapError(() => `"${raw}" is not a ticket id: expected provider:id, e.g. linear:abc or local:7`)
  )

/**
 * Tool handlers for one query: each call is run against the tracker and recorded as a
 * SupervisorToolCalled event (with the result or the error) before the model sees it.
 */
export const makeToolHandlers = (queryId: QueryId, ticketing: Ticketing["Type"], store: EventStore["Type"]) => {
  const recorded = <A, R>(tool: string, params: unknown, run: Effect.Effect<A, string, R>) =>
    run.pipe(
      Effect.tapBoth({
        onFailure: (error) => record(tool, params, `error: ${error}`),
        onSuccess: (result) => record(tool, params, JSON.stringify(result))
      })
    )
  const record = (tool: string, params: unknown, result: string) =>
    store
      .append([new SupervisorToolCalled({ queryId, tool, arguments: JSON.stringify(params), result: clip(result, maxRecordedResult) })])
      .pipe(Effect.mapError((error) => `the call could not be recorded: ${error.message}`))
  const tracker = <A, E extends { readonly message: string }>(effect: Effect.Effect<A, E>) =>
    Effect.mapError(effect, (error) => error.message)

  return SupervisorToolkit.of({
    list_tickets: (params) =>
      recorded(
        "list_tickets",
        params,
        tracker(ticketing.list({ assignedToMe: false, states: [], search: params.search, limit: params.limit })).pipe(
          Effect.map((tickets) => tickets.slice(0, params.limit).map(brief))
        )
      ),
    get_ticket: (params) =>
      recorded(
        "get_ticket",
        params,
        decodeTicketId(params.id).pipe(
          Effect.flatMap((id) => tracker(ticketing.get(id))),
          Effect.map((ticket) => ({
            ...brief(ticket),
            description: ticket.description.slice(0, maxDescription),
            labels: ticket.labels
          }))
        )
      ),
    update_ticket_state: (params) =>
      recorded(
        "update_ticket_state",
        params,
        decodeTicketId(params.id).pipe(
          Effect.flatMap((id) => tracker(ticketing.updateState(id, params.state))),
          // Refresh the local copy so lists show the new state at once.
          Effect.tap((ticket) => tracker(store.append([new TicketSynced({ ticket })]))),
          Effect.map(brief)
        )
      ),
    comment_on_ticket: (params) =>
      recorded(
        "comment_on_ticket",
        params,
        decodeTicketId(params.id).pipe(
          Effect.flatMap((id) => tracker(ticketing.addComment(id, params.body))),
          Effect.as("commented" as const)
        )
      )
  })
}
