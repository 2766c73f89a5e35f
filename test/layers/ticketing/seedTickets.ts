import { Ticket, TicketState } from "../../../src/domain/ticket.js"
import { ticketId } from "../../../src/layers/ticketing/ticketNaming.js"
import type { SeedTicket } from "./contract.js"

/** Contract seeds as domain tickets of a provider that stores them whole (local, test). */
export const seedAsTickets = (provider: "local" | "test", seed: ReadonlyArray<SeedTicket>): ReadonlyArray<Ticket> =>
  seed.map(
    (s, i) =>
      new Ticket({
        id: ticketId(provider, i + 1),
        provider,
        identifier: `${provider.toUpperCase()}-${i + 1}`,
        title: s.title,
        description: s.description,
        url: null,
        priority: 0,
        state: new TicketState({ name: s.state, type: s.state === "Todo" ? "unstarted" : "started" }),
        project: null,
        team: null,
        labels: [],
        assignee: null,
        updatedAt: 1_700_000_000_000 + i
      })
  )
