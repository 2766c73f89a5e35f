import type { Ticket } from "../../domain/ticket.js"
import type { TicketQuery } from "../../services/Ticketing.js"

/** The query applied in memory, for providers whose tickets are already local (store, test double). */
export const applyQuery = (tickets: ReadonlyArray<Ticket>, query: TicketQuery): ReadonlyArray<Ticket> => {
  const states = new Set(query.states.map((name) => name.toLowerCase()))
  const search = query.search?.toLowerCase() ?? ""
  const since = query.updatedSince?.getTime()
  return tickets
    .filter((ticket) => since === undefined || ticket.updatedAt >= since)
    .filter((ticket) => states.size === 0 || states.has(ticket.state.name.toLowerCase()))
    .filter((ticket) => search === "" || ticket.title.toLowerCase().includes(search) || ticket.description.toLowerCase().includes(search))
    .slice(0, Math.max(0, query.limit))
}
