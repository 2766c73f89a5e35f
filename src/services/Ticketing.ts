import { Context, type Effect } from "effect"
import type { TicketingAuthError, TicketingDecodeError, TicketingError } from "../domain/errors.js"
import type { TicketId } from "../domain/ids.js"
import type { TicketListingIncomplete } from "../domain/ticketListing.js"
import type { Ticket, TicketProvider } from "../domain/ticket.js"
import type { WorkflowState } from "../domain/workflow.js"

export type TicketingFailure = TicketingError | TicketingAuthError | TicketingDecodeError

export interface TicketQuery {
  readonly assignedToMe: boolean
  /** Tracker state names; empty means every state. */
  readonly states: ReadonlyArray<string>
  readonly search: string | null
  /**
   * At most this many tickets, fetched in as many pages as it takes. A listing shorter than
   * `limit` holds every ticket that matches; an adapter that cannot list them all fails with
   * TicketListingIncomplete, which carries the tickets it did list.
   */
  readonly limit: number
  /**
   * Only tickets changed at or after this instant (an incremental sync), with the other filters still
   * applied; absent means a full listing. Every ticket so changed must be in the answer; more is
   * harmless (they compare unchanged), fewer loses changes until the next full listing. So a tracker
   * that filters by coarser time (whole minutes, days) rounds the instant down, and one that cannot
   * filter at all lists everything. The sync asks with `states` empty, to see tickets that moved out.
   */
  readonly updatedSince?: Date | undefined
}

export interface NewTicket {
  readonly title: string
  readonly description: string
  readonly project: string | null
}

/** Called after each fetched page, for a progress line. */
export type PageProgress = (fetched: number) => Effect.Effect<void>

/** The tracker port: Linear, Shortcut, local tickets in the store, or a test double. */
export class Ticketing extends Context.Tag("orchestrator/Ticketing")<
  Ticketing,
  {
    readonly provider: TicketProvider
    readonly list: (
      query: TicketQuery,
      onPage?: PageProgress
    ) => Effect.Effect<ReadonlyArray<Ticket>, TicketingFailure | TicketListingIncomplete>
    readonly get: (id: TicketId) => Effect.Effect<Ticket, TicketingFailure>
    readonly create: (ticket: NewTicket) => Effect.Effect<Ticket, TicketingFailure>
    /** Moves the ticket to the tracker state that `workflow_state_map` names for `state`. */
    readonly updateState: (id: TicketId, state: WorkflowState) => Effect.Effect<Ticket, TicketingFailure>
    readonly updateDescription: (id: TicketId, description: string) => Effect.Effect<void, TicketingFailure>
    readonly addComment: (id: TicketId, body: string) => Effect.Effect<void, TicketingFailure>
    readonly attachLink: (id: TicketId, url: string, title: string) => Effect.Effect<void, TicketingFailure>
    readonly health: Effect.Effect<string, TicketingFailure>
  }
>() {}
