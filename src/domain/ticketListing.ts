import { Schema } from "effect"
import { Ticket } from "./ticket.js"

/**
 * A listing the tracker could not finish (more matches than its search pages through): the
 * tickets it did list, and why it stopped. A sync keeps them and unlists nothing.
 */
export class TicketListingIncomplete extends Schema.TaggedError<TicketListingIncomplete>()("TicketListingIncomplete", {
  provider: Schema.String,
  detail: Schema.String,
  tickets: Schema.Array(Ticket)
}) {
  override get message(): string {
    return `${this.provider}: the listing is incomplete (${this.tickets.length} tickets): ${this.detail}`
  }
}
